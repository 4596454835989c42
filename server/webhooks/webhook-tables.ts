/** The webhook outbox (see webhook-outbox.ts). A row is written in the transaction of the change it reports. */

export interface WebhookDeliveriesTable {
  /** `whk_<uuid>`: also the `id` in the body, so a receiver can drop duplicates. */
  id: string;
  merchant_id: string;
  /** e.g. `profile.change.requested`, `profile.change.approved`. */
  event: string;
  /** The exact JSON body sent (account numbers masked). */
  body: string;
  created_at: string;
  attempts: number;
  next_attempt_at: string;
  delivered_at: string | null;
  last_status: number | null;
  last_error: string | null;
}

export interface WebhookTables {
  webhook_deliveries: WebhookDeliveriesTable;
}
