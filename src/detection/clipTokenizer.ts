import { readFileSync } from 'node:fs';

// CLIP's byte-level BPE, read from a Hugging Face tokenizer.json (as published with CLIP packs).
const PATTERN = /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+/giu;
const START = '<|startoftext|>';
const END = '<|endoftext|>';
const WORD_END = '</w>';

/** GPT-2's reversible map from bytes to printable characters. */
function byteEncoder(): string[] {
  const printable = [...range(33, 126), ...range(161, 172), ...range(174, 255)];
  const table = new Array<string>(256);
  let extra = 0;
  for (let b = 0; b < 256; b += 1) {
    table[b] = String.fromCharCode(printable.includes(b) ? b : 256 + extra++);
  }
  return table;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

interface TokenizerJson {
  model: { vocab: Record<string, number>; merges: (string | [string, string])[] };
}

export class ClipTokenizer {
  private readonly bytes = byteEncoder();
  private readonly ranks = new Map<string, number>();
  private readonly cache = new Map<string, number[]>();
  private readonly startId: number;
  private readonly endId: number;

  constructor(
    private readonly vocab: Record<string, number>,
    merges: (string | [string, string])[],
    readonly contextLength = 77,
  ) {
    merges.forEach((merge, rank) => this.ranks.set(Array.isArray(merge) ? merge.join(' ') : merge, rank));
    this.startId = vocab[START];
    this.endId = vocab[END];
    if (this.startId === undefined || this.endId === undefined) throw new Error('tokenizer.json lacks CLIP start/end tokens');
  }

  static fromFile(path: string, contextLength?: number): ClipTokenizer {
    const json = JSON.parse(readFileSync(path, 'utf8')) as TokenizerJson;
    return new ClipTokenizer(json.model.vocab, json.model.merges, contextLength);
  }

  /** Byte-pair merges of one pre-token, lowest rank first, as CLIP was trained. */
  private bpe(token: string): number[] {
    const cached = this.cache.get(token);
    if (cached) return cached;
    let parts = [...token];
    parts[parts.length - 1] += WORD_END;
    while (parts.length > 1) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < parts.length - 1; i += 1) {
        const rank = this.ranks.get(`${parts[i]} ${parts[i + 1]}`);
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          best = i;
        }
      }
      if (best < 0) break;
      parts = [...parts.slice(0, best), parts[best] + parts[best + 1], ...parts.slice(best + 2)];
    }
    const ids = parts.map((part) => this.vocab[part] ?? this.endId);
    this.cache.set(token, ids);
    return ids;
  }

  /** Token ids without start/end markers. */
  encode(text: string): number[] {
    const normalised = text.normalize('NFC').replace(/\s+/g, ' ').toLowerCase();
    const ids: number[] = [];
    for (const match of normalised.matchAll(PATTERN)) {
      const encoded = [...Buffer.from(match[0], 'utf8')].map((b) => this.bytes[b]).join('');
      ids.push(...this.bpe(encoded));
    }
    return ids;
  }

  /** start, tokens, end, padded with end to the context length (truncated to fit), as int64. */
  tokenize(text: string): BigInt64Array {
    const body = this.encode(text).slice(0, this.contextLength - 2);
    const ids = new BigInt64Array(this.contextLength).fill(BigInt(this.endId));
    ids[0] = BigInt(this.startId);
    body.forEach((id, i) => (ids[i + 1] = BigInt(id)));
    ids[body.length + 1] = BigInt(this.endId);
    return ids;
  }
}
