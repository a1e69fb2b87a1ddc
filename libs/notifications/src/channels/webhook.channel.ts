import { Injectable } from '@nestjs/common';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { AppConfig } from '@pavilion/config';
import { PermanentDeliveryError } from './errors';
import { CheckedTarget, checkWebhookTarget, WebhookTargetError } from './webhook-target';

/**
 * Organization webhooks signed per the Standard Webhooks spec; `webhook-id` is the delivery id, stable across
 * retries. The target is checked again at every send (SSRF: DNS may have changed since creation) and the
 * connection goes to the checked address; redirects are not followed; the whole exchange is bounded in time.
 */
@Injectable()
export class WebhookChannel {
  constructor(private readonly config: AppConfig) {}

  async send(
    target: { url: string; secret: string },
    deliveryId: string,
    event: { type: string; data: unknown },
  ): Promise<void> {
    let checked: CheckedTarget;
    try {
      checked = await checkWebhookTarget(target.url, this.config.webhookAllowHosts);
    } catch (error) {
      if (error instanceof WebhookTargetError)
        throw new PermanentDeliveryError(`webhook url ${error.message}`);
      throw error;
    }
    const timestamp = new Date();
    const body = JSON.stringify({ type: event.type, timestamp: timestamp.toISOString(), data: event.data });
    const signature = new Webhook(target.secret).sign(deliveryId, timestamp, body);
    const status = await this.post(checked, body, {
      'content-type': 'application/json',
      'webhook-id': deliveryId,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': signature,
    });
    if (status >= 200 && status < 300) return;
    const message = `webhook answered ${status}`;
    // 4xx will not change on retry, except timeouts and rate limits; a redirect is not followed, so it is final.
    if ((status >= 300 && status < 500 && status !== 408 && status !== 429) || status < 200) {
      throw new PermanentDeliveryError(message);
    }
    throw new Error(message);
  }

  private post(target: CheckedTarget, body: string, headers: Record<string, string>): Promise<number> {
    const pinned: LookupFunction = (_hostname, options, callback) => {
      if ((options as { all?: boolean }).all) {
        (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
          { address: target.address, family: target.family },
        ]);
      } else callback(null, target.address, target.family);
    };
    const client = target.url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = client.request(
        target.url,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          lookup: pinned,
          signal: AbortSignal.timeout(this.config.webhookTimeoutMs),
        },
        (response) => {
          // Only the status counts; the body is drained and dropped.
          response.resume();
          response.on('error', () => undefined);
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', (error) =>
        reject(
          error.name === 'AbortError' || error.name === 'TimeoutError'
            ? new Error(`webhook did not answer within ${this.config.webhookTimeoutMs} ms`)
            : error,
        ),
      );
      request.end(body);
    });
  }
}
