/** Whether a role signed with `lifetimeSeconds` should be re-signed now (less than `fraction` of it left). */
export function isExpiringSoon(expires: string, now: Date, lifetimeSeconds: number, fraction: number): boolean {
  return Date.parse(expires) - now.getTime() < lifetimeSeconds * 1000 * fraction;
}
