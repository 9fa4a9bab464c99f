"""PyTorch reference of the SimPool authors' architectures, for checking PoolLab's import and numerics (parity).

Written from the definitions in the authors' public code (billpsomas/simpool: `sp.py`, `self_supervised/
vision_transformer.py`, `self_supervised/resnet.py`) and DINO's ViT: the same module and parameter names, so that
the state dicts it saves are laid out as theirs are.
- ViT: patch embedding as a stride-p convolution (`patch_embed.proj`), `pos_embed` of [1, N, d] in SimPool mode
  (no [CLS]) or [1, 1 + N, d] with a `cls_token` in the official mode (DINO adds pos_embed[:, 0] to the token),
  pre-norm blocks (`norm1`, `attn.qkv`, `attn.proj`, `norm2`, `mlp.fc1`, `mlp.fc2`), exact GELU, LayerNorm eps 1e-6,
  final `norm`: on the SimPool output, or on all tokens before taking [CLS].
- SimPool (`sp.py`): GAP query on the un-normalised tokens, `norm_patches` (LayerNorm eps 1e-6) for keys and values,
  `wq`, `wk` without bias, softmax over tokens; gamma mode `(attn @ (v - v.min() + eps)^gamma)^(1/gamma) + beta`
  with the minimum over the whole batch tensor, as the authors take it.
- ResNet (torchvision v1.5 layout: stride on the 3x3 convolution, `downsample.0/1`), SimPool on the last map.
Random weights (every parameter and batch-norm statistic drawn, so that nothing is trivially 0 or 1), images
normalised as PoolLab does (x / 255, ImageNet mean and std). Never used by PoolLab itself.

  python bench/parity_reference.py fixtures --out DIR   small models, committed for the test suite (ParityIT)
  python bench/parity_reference.py real --out DIR       ViT-S/16 and ResNet-50 at 224 px, for README's numbers
"""
import argparse
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

MEAN = torch.tensor([0.485, 0.456, 0.406]).reshape(1, 3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).reshape(1, 3, 1, 1)


class SimPool(nn.Module):
    def __init__(self, dim, gamma=None, use_beta=False):
        super().__init__()
        self.norm_patches = nn.LayerNorm(dim, eps=1e-6)
        self.wq = nn.Linear(dim, dim, bias=False)
        self.wk = nn.Linear(dim, dim, bias=False)
        self.gamma, self.use_beta, self.eps = gamma, use_beta, 1e-6
        if gamma is not None and use_beta:
            self.beta = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        if x.ndim == 4:  # a CNN map [B, d, H, W] -> tokens [B, HW, d]
            x = x.flatten(2).transpose(1, 2)
        query = x.mean(dim=1, keepdim=True)  # [B, 1, d]
        z = self.norm_patches(x)
        scores = self.wq(query) @ self.wk(z).transpose(1, 2) * z.shape[-1] ** -0.5  # one head
        attention = scores.softmax(dim=-1)  # [B, 1, N]
        if self.gamma is None:
            pooled = attention @ z
        else:
            pooled = torch.pow(attention @ torch.pow(z - z.min() + self.eps, self.gamma), 1 / self.gamma)
            if self.use_beta:
                pooled = pooled + self.beta
        return pooled.squeeze(1), attention.squeeze(1)


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        attention = (qkv[0] @ qkv[1].transpose(-2, -1) * (c // self.heads) ** -0.5).softmax(dim=-1)
        return self.proj((attention @ qkv[2]).transpose(1, 2).reshape(b, n, c)), attention


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, dim, heads, mlp_ratio):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, int(mlp_ratio * dim))

    def forward(self, x):
        y, attention = self.attn(self.norm1(x))
        x = x + y
        return x + self.mlp(self.norm2(x)), attention


class PatchEmbed(nn.Module):
    def __init__(self, patch, channels, dim):
        super().__init__()
        self.proj = nn.Conv2d(channels, dim, kernel_size=patch, stride=patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class VisionTransformer(nn.Module):
    """mode 'simpool' (the [CLS] token dropped, SimPool on the last block) or 'official' ([CLS] pooling)."""

    def __init__(self, mode, image, patch, dim, depth, heads, gamma=None, use_beta=True, mlp_ratio=4.0):
        super().__init__()
        self.mode = mode
        tokens = (image // patch) ** 2
        self.patch_embed = PatchEmbed(patch, 3, dim)
        if mode == "official":
            self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
            self.pos_embed = nn.Parameter(torch.zeros(1, tokens + 1, dim))
        else:
            self.pos_embed = nn.Parameter(torch.zeros(1, tokens, dim))
            self.simpool = SimPool(dim, gamma=gamma, use_beta=use_beta)
        self.blocks = nn.ModuleList(Block(dim, heads, mlp_ratio) for _ in range(depth))
        self.norm = nn.LayerNorm(dim, eps=1e-6)

    def forward(self, images):
        x = self.patch_embed(images)
        if self.mode == "official":
            x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1)
        x = x + self.pos_embed
        for block in self.blocks:
            x, attention = block(x)
        if self.mode == "official":
            cls_map = attention[:, :, 0, 1:].mean(dim=1)  # the [CLS] row, to the patches, averaged over heads
            return self.norm(x)[:, 0], cls_map / cls_map.sum(dim=-1, keepdim=True)
        pooled, attention_map = self.simpool(x)
        return self.norm(pooled), attention_map


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride, downsample):
        super().__init__()
        out = planes * self.expansion
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, out, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(out)
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        h = F.relu(self.bn1(self.conv1(x)))
        h = F.relu(self.bn2(self.conv2(h)))
        return F.relu(self.bn3(self.conv3(h)) + identity)


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride, downsample):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        h = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(h)) + identity)


class ResNet(nn.Module):
    """torchvision's layout with the authors' SimPool in place of global average pooling (no classifier)."""

    def __init__(self, block, layers, width, gamma):
        super().__init__()
        self.inplanes = width
        self.conv1 = nn.Conv2d(3, width, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        for index, blocks in enumerate(layers):
            setattr(self, f"layer{index + 1}", self.make_layer(block, width << index, blocks, 1 if index == 0 else 2))
        self.layers = len(layers)
        self.simpool = SimPool(self.inplanes, gamma=gamma)

    def make_layer(self, block, planes, blocks, stride):
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(nn.Conv2d(self.inplanes, planes * block.expansion, 1, stride, bias=False),
                                       nn.BatchNorm2d(planes * block.expansion))
        modules = [block(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * block.expansion
        modules += [block(self.inplanes, planes, 1, None) for _ in range(1, blocks)]
        return nn.Sequential(*modules)

    def forward(self, images):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(images))), 3, 2, 1)
        for index in range(self.layers):
            x = getattr(self, f"layer{index + 1}")(x)
        return self.simpool(x)


def randomise(model, generator, images):
    """Random weights at trained-like scales (norm gains near 1, nothing exactly 0 or 1), then batch-norm statistics
    measured on the images, so that activations stay in range through a deep random network."""
    def draw(tensor, scale, centre=0.0):
        tensor.copy_(centre + scale * torch.randn(tensor.shape, generator=generator, dtype=tensor.dtype))

    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.LayerNorm, nn.BatchNorm2d)):
                draw(module.weight, 0.1, 1.0)
                draw(module.bias, 0.1)
            elif isinstance(module, (nn.Linear, nn.Conv2d)):
                draw(module.weight, 1 / math.sqrt(module.weight[0].numel()))
                if module.bias is not None:
                    draw(module.bias, 0.1)
        for name, parameter in model.named_parameters():
            if name in ("pos_embed", "cls_token") or name.endswith("beta"):
                draw(parameter, 0.1)
        batch_norms = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
        for norm in batch_norms:
            norm.reset_running_stats()
            norm.momentum = None  # a cumulative average: the statistics of exactly these images
        if batch_norms:
            model.train()(images.to(next(model.parameters()).dtype))
    model.eval()


def write_images(folder, count, size, generator):
    """Smooth colour images with some noise, as 8-bit PNGs; returns them normalised as PoolLab normalises them."""
    os.makedirs(folder, exist_ok=True)
    batch = []
    grid = torch.linspace(0, 1, size, dtype=torch.float64)
    for i in range(count):
        phase = torch.rand(3, generator=generator, dtype=torch.float64) * 6
        waves = torch.stack([torch.sin(6 * grid[:, None] + phase[c]) * torch.cos(4 * grid[None, :] * (c + 1))
                             for c in range(3)])
        noise = torch.rand(3, size, size, generator=generator, dtype=torch.float64)
        pixels = ((0.35 * waves + 0.5 + 0.15 * (noise - 0.5)).clamp(0, 1) * 255).round().to(torch.uint8)
        Image.fromarray(pixels.permute(1, 2, 0).numpy(), "RGB").save(os.path.join(folder, f"image-{i:02d}.png"))
        batch.append(pixels.to(torch.float64) / 255)
    return (torch.stack(batch) - MEAN.double()) / STD.double()


def save_case(out, name, model, images, wrap):
    """The checkpoint as the reference code saves it (unless wrap is None: a variant of an earlier case's weights),
    and what the model computes on the images, in its dtype."""
    dtype = next(model.parameters()).dtype
    with torch.no_grad():
        features, attention = model(images.to(dtype))
    if wrap is not None:
        torch.save(wrap(model.state_dict()), os.path.join(out, f"{name}.pth"))
    torch.save({"features": features.contiguous(), "attention": attention.contiguous()},
               os.path.join(out, f"{name}.expected.pth"))
    return features, attention


def dino_checkpoint(state):
    """What DINO's main_dino.py writes: teacher and student (DDP-wrapped) with their heads, epoch, arguments."""
    head = {"head.mlp.0.weight": torch.zeros(8, 4), "head.last_layer.weight_g": torch.ones(8, 1)}
    teacher = {"backbone." + k: v for k, v in state.items()} | head
    # the student's tensors share the teacher's storages here (torch.save writes each storage once): a small file
    return {"student": {"module." + k: v for k, v in teacher.items()}, "teacher": teacher, "epoch": 100,
            "args": argparse.Namespace(arch="vit_small", patch_size=16, lr=0.0005), "dino_loss": {"center":
                                                                                                 torch.zeros(1, 8)}}


def dtype_fixture(out):
    """Every dtype and storage layout the reader must handle, with values a test can compute: arange and views."""
    base = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4)
    torch.save({
        "float32": base,
        "float16": (base / 8).half(),
        "bfloat16": (base / 4).bfloat16(),
        "float64": base.double() / 3,
        "int64": torch.arange(6, dtype=torch.int64) * 1_000_000_007,
        "transposed": base.transpose(0, 2),  # a non-contiguous view: strides (1, 4, 12)
        "sliced": base[1, 1:, ::2],  # an offset (16) and a stride of 2
        "nested": {"inner": {"tensor": base[0, 0]}, "number": 7},
        "scalar": torch.tensor(2.5),
    }, os.path.join(out, "dtypes.pth"))


def fixtures(out):
    os.makedirs(out, exist_ok=True)
    generator = torch.Generator().manual_seed(20231002)
    images = write_images(os.path.join(out, "images"), 4, 64, generator)
    cases = {}
    # ViT of dim 64, depth 2, 2 heads, patch 16 at 64 px; MLP ratio 1 keeps the committed files small
    vit = VisionTransformer("simpool", 64, 16, 64, 2, 2, gamma=1.25, use_beta=True, mlp_ratio=1)
    randomise(vit, generator, images)
    vit.simpool.gamma = None  # no gamma first: the same weights, beta unused (import lists it as unexpected)
    cases["vit-simpool"] = save_case(out, "vit-simpool", vit, images, dino_checkpoint)
    vit.simpool.gamma = 1.25  # gamma mode with beta on vit-simpool.pth; the minimum over the whole batch (sp.py)
    cases["vit-simpool-gamma"] = save_case(out, "vit-simpool-gamma", vit, images, None)
    official = VisionTransformer("official", 64, 16, 64, 2, 2, mlp_ratio=1)
    randomise(official, generator, images)
    cases["vit-cls"] = save_case(out, "vit-cls", official, images,
                                 lambda s: {"model": {"module." + k: v for k, v in s.items()}})
    resnet = ResNet(BasicBlock, [2, 2], 8, gamma=2.0).double()
    randomise(resnet, generator, images)
    cases["resnet-simpool"] = save_case(out, "resnet-simpool", resnet, images, lambda s: {"state_dict": s})
    dtype_fixture(out)
    print(json.dumps({name: list(f.shape) for name, (f, _) in cases.items()}))


def real(out):
    os.makedirs(out, exist_ok=True)
    generator = torch.Generator().manual_seed(7)
    images = write_images(os.path.join(out, "images"), 8, 224, generator)
    vit = VisionTransformer("simpool", 224, 16, 384, 12, 6, gamma=None)
    randomise(vit, generator, images)
    save_case(out, "vit-s16-simpool", vit, images, dino_checkpoint)
    resnet = ResNet(Bottleneck, [3, 4, 6, 3], 64, gamma=2.0)
    randomise(resnet, generator, images)
    save_case(out, "resnet50-simpool", resnet, images, lambda s: s)
    print(f"written to {out}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["fixtures", "real"])
    parser.add_argument("--out", required=True)
    arguments = parser.parse_args()
    torch.set_num_threads(1)
    (fixtures if arguments.what == "fixtures" else real)(arguments.out)
