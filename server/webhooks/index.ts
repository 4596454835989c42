// server/webhooks: the outbox of signed notifications to merchants, its dispatcher, and the receivers' verifier.
export { enqueueWebhook } from './webhook-outbox.js';
export type { WebhookEvent } from './webhook-outbox.js';
export { assertMasked } from './assert-masked.js';
export { WebhookDispatcher, defaultWebhookDispatcherConfig } from './webhook-dispatcher.js';
export { pruneWebhookDeliveries } from './prune-webhook-deliveries.js';
export type { WebhookDispatcherConfig, WebhookDispatcherDependencies, DispatchSummary, WebhookLog } from './webhook-dispatcher.js';
export type { WebhookFetch } from './webhook-post.js';
export { signWebhook } from './webhook-signer.js';
export type { WebhookMessage, WebhookCredentials, WebhookSigningOptions, WebhookHeaders } from './webhook-signer.js';
export { verifyWebhook } from './verify-webhook.js';
export type { WebhookRequest, VerifyWebhookOptions, WebhookVerification, WebhookVerificationCode } from './verify-webhook.js';
export {
  WEBHOOK_ALG,
  WEBHOOK_COMPONENTS,
  WEBHOOK_CONTENT_TYPE,
  WEBHOOK_LABEL,
  WEBHOOK_PARAMETERS,
  WEBHOOK_TAG,
  webhookKeyId,
} from './webhook-signature-format.js';
export type { WebhookTables, WebhookDeliveriesTable } from './webhook-tables.js';
