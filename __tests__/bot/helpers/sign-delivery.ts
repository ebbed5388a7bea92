import { createHmac } from 'node:crypto';

/** The `X-Hub-Signature-256` GitHub sends with a delivery's body, signed with the webhook secret. */
export function signDelivery(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
