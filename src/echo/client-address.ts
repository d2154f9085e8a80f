/**
 * Whose address a connection is: the TCP peer, unless the peer is a proxy the app trusts
 * (`--trusted-proxies`), in which case X-Forwarded-For says. The header is read from the right:
 * each trusted hop appends the address it saw, so the first untrusted address from the right is
 * the client; anything left of it was written by the client and may be forged. With no trusted
 * proxies (the default) the header is never believed.
 */
import { BlockList, isIP } from 'node:net';

/** An IP address or a CIDR range (10.0.0.0/8, fd00::/8). */
export function isAddressOrRange(value: string): boolean {
  const [address = '', prefix, extra] = value.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits >= 0 && bits <= (family === 4 ? 32 : 128);
}

/** "::ffff:10.0.0.1" (an IPv4 peer on a dual-stack socket) is 10.0.0.1. */
function plainAddress(address: string): string {
  const trimmed = address.trim();
  return trimmed.toLowerCase().startsWith('::ffff:') && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
}

export interface AddressTrust {
  isTrusted(address: string): boolean;
}

export function addressTrust(ranges: readonly string[]): AddressTrust {
  const list = new BlockList();
  for (const range of ranges) {
    if (!isAddressOrRange(range)) throw new Error(`trusted proxies: ${JSON.stringify(range)} is not an IP address or CIDR range`);
    const [address = '', prefix] = range.split('/');
    const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return {
    isTrusted: (address) => {
      const plain = plainAddress(address);
      const family = isIP(plain);
      return family !== 0 && list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/** The client's address: the peer, or (behind trusted proxies) the right-most untrusted X-Forwarded-For entry. */
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trust: AddressTrust): string {
  const peerAddress = plainAddress(peer ?? '?');
  if (forwardedFor === undefined || !trust.isTrusted(peerAddress)) return peerAddress;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',').map(plainAddress).filter((h) => h !== '');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (!trust.isTrusted(hop)) return isIP(hop) ? hop : peerAddress;
  }
  return hops[0] ?? peerAddress;
}
