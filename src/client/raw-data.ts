/** ws hands a message over as a Buffer, a list of fragments or an ArrayBuffer: one Buffer, always. */
import type { RawData } from 'ws';

export function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
