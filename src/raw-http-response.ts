/**
 * A complete HTTP/1.1 response as text, for answers written straight onto a raw socket when
 * there is no `ServerResponse` (a refused upgrade, a malformed request). Shared by the echo
 * app's refusals and the http-proxy front's own answers; each names itself in `headers`.
 */
import { STATUS_CODES } from 'node:http';

export function rawHttpResponse(status: number, body: string, headers: Record<string, string>): string {
  const text = `${body}\n`;
  const all: Record<string, string> = {
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    Connection: 'close',
  };
  const head = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`, ...Object.entries(all).map(([k, v]) => `${k}: ${v}`)];
  return `${head.join('\r\n')}\r\n\r\n${text}`;
}
