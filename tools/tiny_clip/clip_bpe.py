"""CLIP's byte-level BPE (Radford et al. 2021, the `simple_tokenizer` scheme) for a small vocabulary.

Builds a tokenizer.json in the Hugging Face `tokenizers` format that CLIP's own tokenizer.json uses (NFC, whitespace
collapse, lower case; CLIP's split regex; byte-level alphabet; BPE with the `</w>` end-of-word suffix; RobertaProcessing
adding <|startoftext|> and <|endoftext|>), so DJL's HuggingFaceTokenizer reads it like a real CLIP tokenizer. The vocabulary
is CLIP's layout at a small size: the 256 byte symbols, the same with `</w>`, one symbol per merge, then the two special
tokens last (so <|endoftext|> has the highest id and `argmax(ids)` finds it, as CLIP's text encoder pools).
"""
import json
import re

SOT = "<|startoftext|>"
EOT = "<|endoftext|>"
CONTEXT = 77


def bytes_to_unicode():
    """CLIP/GPT-2's reversible map from bytes to printable unicode characters."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


BYTE_ENCODER = bytes_to_unicode()
# CLIP's pattern; Python's `re` has no \p{L}, so letters/numbers are spelled as in CLIP's regex with [^\W\d_] / \d.
SPLIT = re.compile(r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[^\W\d_]+|\d|[^\s\w]+|_+""", re.UNICODE)
SPLIT_HF = r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"


def word_symbols(word):
    chars = [BYTE_ENCODER[b] for b in word.encode("utf-8")]
    return chars[:-1] + [chars[-1] + "</w>"]


def learn_merges(words):
    """Plain BPE training on a word list: merge the most frequent adjacent pair (ties: smallest pair) until every word
    is one symbol."""
    corpus = {w: word_symbols(w) for w in sorted(set(words))}
    merges = []
    while True:
        counts = {}
        for syms in corpus.values():
            for a, b in zip(syms, syms[1:]):
                counts[(a, b)] = counts.get((a, b), 0) + 1
        if not counts:
            return merges
        best = min(counts, key=lambda p: (-counts[p], p))
        merges.append(best)
        for w, syms in corpus.items():
            out, i = [], 0
            while i < len(syms):
                if i + 1 < len(syms) and (syms[i], syms[i + 1]) == best:
                    out.append(syms[i] + syms[i + 1])
                    i += 2
                else:
                    out.append(syms[i])
                    i += 1
            corpus[w] = out


class Tokenizer:
    """CLIP's tokenize(): lower case, split, BPE by merge rank, SOT + ids + EOT, zero-padded to 77 (truncated with EOT
    kept last)."""

    def __init__(self, merges):
        base = list(BYTE_ENCODER.values())
        vocab = base + [v + "</w>" for v in base] + ["".join(m) for m in merges] + [SOT, EOT]
        self.encoder = {t: i for i, t in enumerate(vocab)}
        self.ranks = {m: i for i, m in enumerate(merges)}
        self.merges = merges

    def bpe(self, word):
        syms = word_symbols(word)
        while len(syms) > 1:
            pairs = [(self.ranks.get(p, 1 << 30), i) for i, p in enumerate(zip(syms, syms[1:]))]
            rank, _ = min(pairs)
            if rank == 1 << 30:
                break
            best = self.merges[rank]
            out, i = [], 0
            while i < len(syms):
                if i + 1 < len(syms) and (syms[i], syms[i + 1]) == best:
                    out.append(syms[i] + syms[i + 1])
                    i += 2
                else:
                    out.append(syms[i])
                    i += 1
            syms = out
        return syms

    def encode(self, text):
        text = re.sub(r"\s+", " ", text).strip().lower()
        ids = [self.encoder[SOT]]
        for w in SPLIT.findall(text):
            ids += [self.encoder[s] for s in self.bpe(w)]
        ids.append(self.encoder[EOT])
        if len(ids) > CONTEXT:
            ids = ids[:CONTEXT]
            ids[-1] = self.encoder[EOT]
        return ids + [0] * (CONTEXT - len(ids))

    def to_json(self):
        special = lambda i, t: {"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                                "normalized": True, "special": True}
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": [special(self.encoder[SOT], SOT), special(self.encoder[EOT], EOT)],
            "normalizer": {"type": "Sequence", "normalizers": [
                {"type": "NFC"},
                {"type": "Replace", "pattern": {"Regex": r"\s+"}, "content": " "},
                {"type": "Lowercase"}]},
            "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": SPLIT_HF}, "behavior": "Removed", "invert": True},
                {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
            "post_processor": {"type": "RobertaProcessing", "sep": [EOT, self.encoder[EOT]],
                               "cls": [SOT, self.encoder[SOT]], "trim_offsets": False, "add_prefix_space": False},
            "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
            "model": {"type": "BPE", "dropout": None, "unk_token": EOT, "continuing_subword_prefix": "",
                      "end_of_word_suffix": "</w>", "fuse_unk": False, "byte_fallback": False,
                      "vocab": self.encoder, "merges": [a + " " + b for a, b in self.merges]},
        }

    def save(self, path):
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.to_json(), f, ensure_ascii=False, indent=1)
            f.write("\n")
