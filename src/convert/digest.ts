/**
 * SHA-256 of a text, as lower-case hex: the digests in logical IDs and deployment nonces.
 * Pure JavaScript (@noble/hashes) rather than node:crypto, whose first require loads some twenty
 * of Node's internal modules (keys, ciphers, X.509, ...), about 4 ms of every `convert`, for a
 * hash of a few hundred bytes. The bytes are SHA-256's either way, so templates do not change.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}
