/**
 * The client address as Cloudflare saw it. Only CF-Connecting-IP is trusted: X-Forwarded-For and
 * friends are set by whoever sends the request, so they change nothing here.
 */
export function clientIp(headers: Headers): string {
  return headers.get('cf-connecting-ip')?.trim() || 'unknown';
}
