"""PyTorch reference of PoolLab's MoCo v3 Fashion-MNIST preset, trained for real: the accuracy anchor of issue 18.

The preset of experiments/mocov3-fmnist.yaml written independently in PyTorch, following facebookresearch/moco-v3
(moco/builder.py, main_moco.py, vits.py): the ViT of bench/torch_reference.py (patch 4, dim 192, depth 4, heads 3)
with fixed 2-D sin-cos positions (vits.py's build_2d_sincos_position_embedding) and a frozen Xavier-uniform patch
projection; SimPool without gamma (or GAP / [CLS]); a 3-layer projector and a 2-layer predictor (hidden 1024, out
256; BatchNorm1d + ReLU between bias-free linear layers, a non-affine BatchNorm1d last); the momentum encoder
updated before the keys with m on a half cosine from 0.99 to 1; ctr(q, k) = CE(q k^T / tau) * 2 tau, tau 0.2,
symmetric; AdamW (no decay on 1-d parameters) with lr 1.5e-3 * batch / 256 warmed up linearly over 13.3 % of
the steps, then a cosine to 0, weight decay 0.1. Two views per image: random resized crop scale (0.2, 1), flip,
brightness / contrast jitter 0.4 with p 0.8 in random order, Gaussian blur p 1.0 / 0.1 (sigma 0.1-1.0, reflected
borders), solarisation p 0 / 0.2; normalised with Fashion-MNIST's mean 0.2860 and std 0.3530. Then DINO's
weighted k-NN (T = 0.07) on the momentum encoder's backbone + pooling, with the training images as the bank.
The subset is a seeded random one, not PoolLab's (their generators differ). Prints one JSON object.
"""
import argparse
import copy
import gzip
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_reference import VisionTransformer, adamw, moco_mlp

MEAN, STD = 0.2860, 0.3530


def idx(path):
    """An IDX file of the Debian dataset-fashion-mnist package as a numpy array."""
    with gzip.open(path) as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def sincos_positions(grid, dim, temperature=10000.0):
    """vits.py's build_2d_sincos_position_embedding, [grid * grid, dim]."""
    grid_w, grid_h = torch.meshgrid(torch.arange(grid, dtype=torch.float32),
                                    torch.arange(grid, dtype=torch.float32), indexing="ij")
    pos_dim = dim // 4
    omega = 1.0 / temperature ** (torch.arange(pos_dim, dtype=torch.float32) / pos_dim)
    out_w = grid_w.flatten()[:, None] * omega[None]
    out_h = grid_h.flatten()[:, None] * omega[None]
    return torch.cat([out_w.sin(), out_w.cos(), out_h.sin(), out_h.cos()], dim=1)


def preset_vit(args):
    vit = VisionTransformer(28, 4, 192, 4, 3, args.pooling)
    vit.pos_embed = nn.Parameter(sincos_positions(vit.grid, 192), requires_grad=False)
    bound = math.sqrt(6.0 / (vit.patch_embed.weight.shape[0] + vit.patch_embed.weight.shape[1]))
    with torch.no_grad():
        vit.patch_embed.weight.uniform_(-bound, bound)
        vit.patch_embed.bias.zero_()
    vit.patch_embed.weight.requires_grad = False
    vit.patch_embed.bias.requires_grad = False
    return vit


def crop_boxes(n, scale, generator):
    """torchvision RandomResizedCrop's boxes (10 tries, log-uniform ratio 3/4..4/3, centre fallback), as
    fractions of the image: centres and half-sizes in [-1, 1] coordinates."""
    boxes = torch.zeros(n, 4)
    for i in range(n):
        for _ in range(10):
            area = float(torch.empty(1).uniform_(scale[0], scale[1], generator=generator))
            ratio = math.exp(float(torch.empty(1).uniform_(math.log(3 / 4), math.log(4 / 3), generator=generator)))
            w, h = math.sqrt(area * ratio), math.sqrt(area / ratio)
            if w <= 1 and h <= 1:
                x0 = float(torch.rand(1, generator=generator)) * (1 - w)
                y0 = float(torch.rand(1, generator=generator)) * (1 - h)
                break
        else:
            w = h = 1.0
            x0 = y0 = 0.0
        boxes[i] = torch.tensor([2 * x0 + w - 1, 2 * y0 + h - 1, w, h])
    return boxes


def blur(images, sigmas):
    """Per-image Gaussian blur with reflected borders, kernel radius ceil(3 sigma)."""
    out = torch.empty_like(images)
    for i, sigma in enumerate(sigmas.tolist()):
        radius = max(1, math.ceil(3 * sigma))
        x = torch.arange(-radius, radius + 1, dtype=torch.float32)
        kernel = torch.exp(-0.5 * x * x / (sigma * sigma))
        kernel = kernel / kernel.sum()
        image = images[i:i + 1]
        padded = F.pad(image, (radius, radius, 0, 0), mode="reflect")
        image = F.conv2d(padded, kernel.view(1, 1, 1, -1))
        padded = F.pad(image, (0, 0, radius, radius), mode="reflect")
        out[i:i + 1] = F.conv2d(padded, kernel.view(1, 1, -1, 1))
    return out


def view(images, blur_p, solarize_p, scale, generator):
    """One augmented, normalised view of a batch [B, 1, 28, 28] in [0, 1]."""
    n = images.shape[0]
    boxes = crop_boxes(n, scale, generator)
    theta = torch.zeros(n, 2, 3)
    theta[:, 0, 0], theta[:, 0, 2] = boxes[:, 2], boxes[:, 0]
    theta[:, 1, 1], theta[:, 1, 2] = boxes[:, 3], boxes[:, 1]
    flip = torch.rand(n, generator=generator) < 0.5
    theta[flip, 0, 0] *= -1
    grid = F.affine_grid(theta, list(images.shape), align_corners=False)
    x = F.grid_sample(images, grid, mode="bilinear", padding_mode="border", align_corners=False)
    jitter = torch.rand(n, generator=generator) < 0.8
    brightness = torch.empty(n).uniform_(0.6, 1.4, generator=generator)
    contrast = torch.empty(n).uniform_(0.6, 1.4, generator=generator)
    brightness_first = torch.rand(n, generator=generator) < 0.5
    for i in torch.nonzero(jitter).flatten().tolist():
        image = x[i]
        for change in (["b", "c"] if brightness_first[i] else ["c", "b"]):
            if change == "b":
                image = (image * brightness[i]).clamp(0, 1)
            else:
                mean = image.mean()
                image = (mean + (image - mean) * contrast[i]).clamp(0, 1)
        x[i] = image
    blurred = torch.rand(n, generator=generator) < blur_p
    if blurred.any():
        sigmas = torch.empty(int(blurred.sum())).uniform_(0.1, 1.0, generator=generator)
        x[blurred] = blur(x[blurred], sigmas)
    solarized = torch.rand(n, generator=generator) < solarize_p
    x[solarized] = torch.where(x[solarized] >= 128 / 255, 1 - x[solarized], x[solarized])
    return (x - MEAN) / STD


def knn_top1(bank, bank_labels, test, test_labels, k, temperature=0.07, classes=10):
    """DINO's eval_knn.knn_classifier, top-1 in percent."""
    bank, test = F.normalize(bank, dim=1), F.normalize(test, dim=1)
    correct = 0
    for start in range(0, test.shape[0], 500):
        similarity = test[start:start + 500] @ bank.t()
        top, index = similarity.topk(k, dim=1)
        votes = torch.zeros(top.shape[0], classes).scatter_add_(1, bank_labels[index], (top / temperature).exp())
        correct += (votes.argmax(dim=1) == test_labels[start:start + 500]).sum().item()
    return 100.0 * correct / test.shape[0]


def features(encoder, images, batch=500):
    encoder.eval()
    with torch.no_grad():
        out = torch.cat([encoder((images[i:i + batch] - MEAN) / STD) for i in range(0, images.shape[0], batch)])
    encoder.train()
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--pooling", choices=["simpool", "gap", "cls"], default="simpool")
    parser.add_argument("--train-subset", type=int, default=8000)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--lr", type=float, default=1.5e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=int(os.environ.get("OMP_NUM_THREADS", "2")))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)

    train = torch.from_numpy(idx(os.path.join(args.data, "train-images-idx3-ubyte.gz")).copy()).float() / 255
    train_labels = torch.from_numpy(idx(os.path.join(args.data, "train-labels-idx1-ubyte.gz")).copy()).long()
    test = torch.from_numpy(idx(os.path.join(args.data, "t10k-images-idx3-ubyte.gz")).copy()).float() / 255
    test_labels = torch.from_numpy(idx(os.path.join(args.data, "t10k-labels-idx1-ubyte.gz")).copy()).long()
    chosen = torch.randperm(train.shape[0], generator=generator)[:args.train_subset]
    train, train_labels = train[chosen].unsqueeze(1), train_labels[chosen]
    test = test.unsqueeze(1)

    encoder = preset_vit(args)
    projector = moco_mlp(3, 192, 1024, 256)
    predictor = moco_mlp(2, 256, 1024, 256)
    momentum_encoder, momentum_projector = copy.deepcopy(encoder), copy.deepcopy(projector)
    for p in list(momentum_encoder.parameters()) + list(momentum_projector.parameters()):
        p.requires_grad = False
    trained = nn.ModuleList([encoder, projector, predictor])
    optimizer = adamw(trained, args.lr, 0.1)
    steps_per_epoch = train.shape[0] // args.batch
    total = steps_per_epoch * args.epochs
    warmup = round(total * 40 / 300)
    peak = args.lr * args.batch / 256
    tau = 0.2
    labels = torch.arange(args.batch)

    def ctr(q, k):
        logits = F.normalize(q, dim=1) @ F.normalize(k, dim=1).t() / tau
        return F.cross_entropy(logits, labels) * 2 * tau

    start, losses = time.time(), []
    for epoch in range(args.epochs):
        order = torch.randperm(train.shape[0], generator=generator)
        for s in range(steps_per_epoch):
            step = epoch * steps_per_epoch + s
            lr = peak * step / warmup if step < warmup else \
                0.5 * peak * (1 + math.cos(math.pi * (step - warmup) / (total - warmup)))
            for group in optimizer.param_groups:
                group["lr"] = lr
            m = 1 - (1 + math.cos(math.pi * step / total)) * (1 - 0.99) / 2
            images = train[order[s * args.batch:(s + 1) * args.batch]]
            x1 = view(images, 1.0, 0.0, (0.2, 1.0), generator)
            x2 = view(images, 0.1, 0.2, (0.2, 1.0), generator)
            with torch.no_grad():  # the reference updates the momentum encoder before computing the keys
                for mine, base in zip(list(momentum_encoder.parameters()) + list(momentum_projector.parameters()),
                                      list(encoder.parameters()) + list(projector.parameters())):
                    mine.mul_(m).add_(base.detach(), alpha=1 - m)
                f = momentum_encoder(torch.cat([x1, x2]))
                k1, k2 = momentum_projector(f[:args.batch]), momentum_projector(f[args.batch:])
            f = encoder(torch.cat([x1, x2]))  # backbone + pooling see both views as one batch, as PoolLab's
            q1, q2 = predictor(projector(f[:args.batch])), predictor(projector(f[args.batch:]))
            loss = ctr(q1, k2) + ctr(q2, k1)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            if step % 10 == 0:
                print(f"step {step}/{total} loss {loss.item():.4f} lr {lr:.2e} m {m:.4f}", flush=True)
    seconds = time.time() - start
    bank, queries = features(momentum_encoder, train), features(momentum_encoder, test)
    result = {"engine": "pytorch " + torch.__version__, "pooling": args.pooling, "train_subset": args.train_subset,
              "epochs": args.epochs, "steps": total, "seconds": round(seconds, 1),
              "loss_last10": round(sum(losses[-10:]) / len(losses[-10:]), 4)}
    for k in (10, 20, 100, 200):
        result[f"knn_top1_k{k}"] = round(knn_top1(bank, train_labels, queries, test_labels, k), 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
