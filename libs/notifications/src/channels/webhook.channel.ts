import { Injectable } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { PermanentDeliveryError } from './errors';

const TIMEOUT_MS = 10_000;

/** Organization webhooks signed per the Standard Webhooks spec; `webhook-id` is the delivery id, stable across retries. */
@Injectable()
export class WebhookChannel {
  async send(
    target: { url: string; secret: string },
    deliveryId: string,
    event: { type: string; data: unknown },
  ): Promise<void> {
    const timestamp = new Date();
    const body = JSON.stringify({ type: event.type, timestamp: timestamp.toISOString(), data: event.data });
    const signature = new Webhook(target.secret).sign(deliveryId, timestamp, body);
    const response = await fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': deliveryId,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (response.ok) return;
    const message = `webhook answered ${response.status}`;
    if (
      response.status >= 400 &&
      response.status < 500 &&
      response.status !== 408 &&
      response.status !== 429
    ) {
      throw new PermanentDeliveryError(message);
    }
    throw new Error(message);
  }
}
