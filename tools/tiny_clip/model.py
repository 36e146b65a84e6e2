"""A tiny CLIP with the modules and attribute names of OpenAI's CLIP (VisionTransformer, Transformer,
ResidualAttentionBlock, encode_text), small enough to train on CPU in minutes and ship in the repository, plus the
export wrappers used for it and for real CLIP alike (see ../export_clip.py).
"""
from collections import OrderedDict

import torch
from torch import nn


class ResidualAttentionBlock(nn.Module):
    def __init__(self, width, heads, attn_mask=None):
        super().__init__()
        self.attn = nn.MultiheadAttention(width, heads)
        self.ln_1 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(OrderedDict([
            ("c_fc", nn.Linear(width, width * 4)), ("gelu", nn.GELU()), ("c_proj", nn.Linear(width * 4, width))]))
        self.ln_2 = nn.LayerNorm(width)
        self.attn_mask = attn_mask

    def forward(self, x):
        y = self.ln_1(x)
        x = x + self.attn(y, y, y, need_weights=False, attn_mask=self.attn_mask)[0]
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, width, layers, heads, attn_mask=None):
        super().__init__()
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads, attn_mask) for _ in range(layers)])

    def forward(self, x):
        return self.resblocks(x)


class VisionTransformer(nn.Module):
    def __init__(self, input_resolution=224, patch_size=32, width=64, layers=2, heads=4, output_dim=64):
        super().__init__()
        self.input_resolution = input_resolution
        self.conv1 = nn.Conv2d(3, width, kernel_size=patch_size, stride=patch_size, bias=False)
        scale = width ** -0.5
        self.class_embedding = nn.Parameter(scale * torch.randn(width))
        self.positional_embedding = nn.Parameter(scale * torch.randn((input_resolution // patch_size) ** 2 + 1, width))
        self.ln_pre = nn.LayerNorm(width)
        self.transformer = Transformer(width, layers, heads)
        self.ln_post = nn.LayerNorm(width)
        self.proj = nn.Parameter(scale * torch.randn(width, output_dim))

    def forward(self, x):
        x = self.conv1(x)
        x = x.reshape(x.shape[0], x.shape[1], -1).permute(0, 2, 1)
        cls = self.class_embedding.to(x.dtype) + torch.zeros(x.shape[0], 1, x.shape[-1], dtype=x.dtype)
        x = torch.cat([cls, x], dim=1) + self.positional_embedding.to(x.dtype)
        x = self.ln_pre(x).permute(1, 0, 2)
        x = self.transformer(x).permute(1, 0, 2)
        return self.ln_post(x[:, 0, :]) @ self.proj


class TinyClip(nn.Module):
    def __init__(self, vocab_size, embed_dim=64, width=64, layers=2, heads=4, context_length=77):
        super().__init__()
        self.context_length = context_length
        self.visual = VisionTransformer(224, 32, width, layers, heads, embed_dim)
        mask = torch.empty(context_length, context_length).fill_(float("-inf")).triu_(1)
        self.transformer = Transformer(width, layers, heads, attn_mask=mask)
        self.token_embedding = nn.Embedding(vocab_size, width)
        self.positional_embedding = nn.Parameter(torch.randn(context_length, width) * 0.01)
        self.ln_final = nn.LayerNorm(width)
        self.text_projection = nn.Parameter(torch.randn(width, embed_dim) * width ** -0.5)
        self.logit_scale = nn.Parameter(torch.tensor(2.659))  # log(1 / 0.07), CLIP's initial temperature

    @property
    def dtype(self):
        return self.visual.conv1.weight.dtype

    def encode_image(self, image):
        return self.visual(image)

    def encode_text(self, text):
        x = self.token_embedding(text) + self.positional_embedding
        x = self.transformer(x.permute(1, 0, 2)).permute(1, 0, 2)
        x = self.ln_final(x)
        return x[torch.arange(x.shape[0]), text.argmax(dim=-1)] @ self.text_projection


# ---- Export wrappers: the form every CLIP model takes in clipmsm (image.pt / text.pt, ONNX alike) ----

def _vit_tokens(visual, x):
    x = visual.conv1(x)
    grid = x.shape[-1]
    x = x.reshape(x.shape[0], x.shape[1], -1).permute(0, 2, 1)
    cls = visual.class_embedding.to(x.dtype) + torch.zeros(x.shape[0], 1, x.shape[-1], dtype=x.dtype)
    x = torch.cat([cls, x], dim=1) + visual.positional_embedding.to(x.dtype)
    return visual.ln_pre(x).permute(1, 0, 2), grid


def _value_path(block, x):
    """MaskCLIP (Zhou et al. 2022): the last block's attention reduced to its value path, so each token keeps its
    own content: out_proj(v_proj(ln_1(x))), with the block's residual and MLP kept."""
    attn = block.attn
    w = attn.in_proj_weight[2 * attn.embed_dim:]
    b = attn.in_proj_bias[2 * attn.embed_dim:]
    v = nn.functional.linear(block.ln_1(x), w, b)
    x = x + attn.out_proj(v)
    return x + block.mlp(block.ln_2(x))


class ImageEncoder(nn.Module):
    """forward(pixels (B, 3, 224, 224), CLIP-normalised) -> (B, D): CLIP's encode_image, not normalised.
    dense(pixels) -> (B, h, w, D): the final projection applied to every patch token (MaskCLIP-style)."""

    def __init__(self, clip_model):
        super().__init__()
        self.visual = clip_model.visual

    def forward(self, pixels):
        return self.visual(pixels.to(self.visual.conv1.weight.dtype)).float()

    def dense(self, pixels):
        v = self.visual
        x, grid = _vit_tokens(v, pixels.to(v.conv1.weight.dtype))
        blocks = list(v.transformer.resblocks.children())
        for blk in blocks[:-1]:
            x = blk(x)
        x = _value_path(blocks[-1], x).permute(1, 0, 2)
        x = v.ln_post(x[:, 1:, :]) @ v.proj
        return x.reshape(x.shape[0], grid, grid, x.shape[-1]).float()


class DenseImageEncoder(ImageEncoder):
    """The dense method as forward, for formats with one entry point (ONNX)."""

    def forward(self, pixels):
        return self.dense(pixels)


class TextEncoder(nn.Module):
    """forward(token ids (B, 77) int64, CLIP tokenizer, zero-padded) -> (B, D): CLIP's encode_text (the features at
    the end-of-text token, which has the highest id, through ln_final and text_projection)."""

    def __init__(self, clip_model):
        super().__init__()
        self.token_embedding = clip_model.token_embedding
        self.positional_embedding = clip_model.positional_embedding
        self.transformer = clip_model.transformer
        self.ln_final = clip_model.ln_final
        self.text_projection = clip_model.text_projection

    def forward(self, ids):
        dtype = self.ln_final.weight.dtype
        x = self.token_embedding(ids).to(dtype) + self.positional_embedding.to(dtype)
        x = self.transformer(x.permute(1, 0, 2)).permute(1, 0, 2)
        x = self.ln_final(x)
        # argmax over float ids keeps the ONNX graph to the most widely implemented ArgMax type; ids < 2^24 are exact.
        eot = ids.to(torch.float32).argmax(dim=-1)
        return (x[torch.arange(x.shape[0]), eot] @ self.text_projection).float()
