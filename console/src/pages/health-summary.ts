/** The health fields a person reads first, as [name, value] pairs, from a terminal's report. */
export function healthSummary(health: Record<string, unknown> | null | undefined): [string, string][] {
  if (!health) return [];
  const pick = (object: unknown, key: string): unknown => (typeof object === 'object' && object !== null ? (object as Record<string, unknown>)[key] : undefined);
  const rows: [string, string][] = [];
  const paper = pick(health['printer'], 'paper');
  if (typeof paper === 'string') rows.push(['Paper', paper]);
  const battery = pick(health['power'], 'batteryPercent');
  if (typeof battery === 'number') rows.push(['Battery', `${battery}%${pick(health['power'], 'charging') === true ? ' (charging)' : ''}`]);
  const network = pick(health['network'], 'type');
  const signal = pick(health['network'], 'signalDbm');
  if (typeof network === 'string') rows.push(['Network', typeof signal === 'number' ? `${network}, ${signal} dBm` : network]);
  const storage = health['freeStorageBytes'];
  if (typeof storage === 'number') rows.push(['Free storage', `${(storage / 1024 / 1024).toFixed(0)} MiB`]);
  const error = health['lastTransactionError'];
  if (typeof error === 'string') rows.push(['Last transaction error', error]);
  return rows;
}
