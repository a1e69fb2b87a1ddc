/** A send that no retry can fix (invalid address, a 4xx from a webhook): the delivery fails at once. */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}
