"""PyTorch reference of PoolLab's model and training steps, for speed and memory comparisons only.

The same architecture as PoolLab's `vit` backbone with `simpool`, `gap` or `cls` pooling (docs/method.md §3,
§5): patch embedding as a linear map of flattened patches, learned positional embedding (bicubically resized for
other crop sizes), pre-norm blocks with exact GELU and LayerNorm eps 1e-6, the final LayerNorm on the pooled
vector; truncated-normal(0.02) weights, zero biases. Supervised step: linear head, label-smoothed cross-entropy,
AdamW (no decay on 1-d parameters), per-parameter gradient clipping. DINO step (docs/method.md §6): teacher on the
2 global views without gradient, student on global + local views, DINO loss over pairs of different views, AdamW,
EMA of the teacher, centre update. MoCo v3 step (docs/mocov3.md, moco/builder.py): base encoder (ViT + pooling +
3-layer projector) and 2-layer predictor on two views, the momentum encoder's EMA and keys without gradient, the
symmetric contrastive loss times 2 tau, AdamW. Inputs are random tensors of the right shapes, generated before
timing (PoolLab prepares its batches on a background thread). Prints one JSON object; never used by PoolLab itself.
"""
import argparse
import copy
import json
import math
import os
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def truncated_normal_(tensor, std=0.02):
    return nn.init.trunc_normal_(tensor, std=std, a=-2 * std, b=2 * std)


class Linear(nn.Linear):
    def __init__(self, n_in, n_out, bias=True):
        super().__init__(n_in, n_out, bias)
        truncated_normal_(self.weight)
        if bias:
            nn.init.zeros_(self.bias)


class Block(nn.Module):
    def __init__(self, dim, heads, mlp_ratio=4.0):
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.qkv = Linear(dim, 3 * dim)
        self.proj = Linear(dim, dim)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.fc1 = Linear(dim, int(dim * mlp_ratio))
        self.fc2 = Linear(int(dim * mlp_ratio), dim)

    def forward(self, x):
        b, t, d = x.shape
        head_dim = d // self.heads
        qkv = self.qkv(self.norm1(x)).reshape(b, t, 3, self.heads, head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attention = (q @ k.transpose(-2, -1) * head_dim ** -0.5).softmax(dim=-1)
        x = x + self.proj((attention @ v).transpose(1, 2).reshape(b, t, d))
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))


class SimPool(nn.Module):
    """SimPool without gamma, one head: u0 = mean(X), Z = LN(X), a = softmax(u0 Wq (Z Wk)^T / sqrt d), u = a Z."""

    def __init__(self, dim):
        super().__init__()
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.wq = Linear(dim, dim, bias=False)
        self.wk = Linear(dim, dim, bias=False)

    def forward(self, tokens):
        z = self.norm(tokens)
        query = self.wq(tokens.mean(dim=1, keepdim=True))  # [B, 1, d]
        attention = (query @ self.wk(z).transpose(1, 2) / math.sqrt(z.shape[-1])).softmax(dim=-1)  # [B, 1, N]
        return (attention @ z).squeeze(1)


class VisionTransformer(nn.Module):
    def __init__(self, image, patch, dim, depth, heads, pooling):
        super().__init__()
        self.patch, self.grid, self.pooling_id = patch, image // patch, pooling
        self.patch_embed = Linear(patch * patch, dim)
        self.pos_embed = nn.Parameter(truncated_normal_(torch.empty(self.grid * self.grid, dim)))
        self.cls_token = nn.Parameter(truncated_normal_(torch.empty(1, 1, dim))) if pooling == "cls" else None
        self.blocks = nn.ModuleList(Block(dim, heads) for _ in range(depth))
        self.pool = SimPool(dim) if pooling == "simpool" else None
        self.norm = nn.LayerNorm(dim, eps=1e-6)

    def positional_embedding(self, grid):
        if grid == self.grid:
            return self.pos_embed
        base = self.pos_embed.reshape(1, self.grid, self.grid, -1).permute(0, 3, 1, 2)
        resized = F.interpolate(base, size=(grid, grid), mode="bicubic", align_corners=False)
        return resized.permute(0, 2, 3, 1).reshape(grid * grid, -1)

    def forward(self, images):
        b, c, h, w = images.shape
        p, grid = self.patch, h // self.patch
        patches = images.reshape(b, c, grid, p, grid, p).permute(0, 2, 4, 1, 3, 5).reshape(b, grid * grid, c * p * p)
        x = self.patch_embed(patches) + self.positional_embedding(grid)
        if self.cls_token is not None:
            x = torch.cat([self.cls_token.expand(b, -1, -1), x], dim=1)
        for block in self.blocks:
            x = block(x)
        if self.pooling_id == "cls":
            pooled = x[:, 0]
        elif self.pooling_id == "gap":
            pooled = x.mean(dim=1)
        else:
            pooled = self.pool(x)
        return self.norm(pooled)


class DinoHead(nn.Module):
    def __init__(self, dim, hidden, bottleneck, out_dim):
        super().__init__()
        self.mlp = nn.Sequential(Linear(dim, hidden), nn.GELU(), Linear(hidden, hidden), nn.GELU(),
                                 Linear(hidden, bottleneck))
        self.last_layer = nn.Parameter(truncated_normal_(torch.empty(bottleneck, out_dim)))  # g fixed to 1

    def forward(self, x):
        z = F.normalize(self.mlp(x), dim=-1, eps=1e-12)
        return z @ F.normalize(self.last_layer, dim=0, eps=1e-12)


def adamw(model, lr, weight_decay):
    decay = [p for p in model.parameters() if p.requires_grad and p.ndim > 1]
    plain = [p for p in model.parameters() if p.requires_grad and p.ndim <= 1]
    return torch.optim.AdamW([{"params": decay}, {"params": plain, "weight_decay": 0.0}], lr=lr,
                             weight_decay=weight_decay)


def clip_per_parameter(model, clip):
    for p in model.parameters():
        if p.grad is not None:
            norm = p.grad.norm()
            if norm > clip:
                p.grad.mul_(clip / (norm + 1e-6))


def supervised_stepper(args, batch):
    torch.manual_seed(args.seed)
    model = VisionTransformer(args.image, args.patch, args.dim, args.depth, args.heads, args.pooling)
    head = Linear(args.dim, 10)
    net = nn.Sequential(model, head)
    optimizer = adamw(net, args.lr, 0.05)
    images = torch.randn(batch, 1, args.image, args.image)
    labels = torch.randint(0, 10, (batch,))

    def step():
        loss = F.cross_entropy(net(images), labels, label_smoothing=0.1)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        clip_per_parameter(net, 3.0)
        optimizer.step()

    return step, model


def dino_stepper(args, batch):
    torch.manual_seed(args.seed)
    student = nn.Sequential(VisionTransformer(args.image, args.patch, args.dim, args.depth, args.heads, args.pooling),
                            DinoHead(args.dim, 512, 256, args.out_dim))
    teacher = copy.deepcopy(student)
    for p in teacher.parameters():
        p.requires_grad = False
    optimizer = adamw(student, args.lr, 0.04)
    centre = torch.zeros(1, args.out_dim)
    global_views = torch.randn(2 * batch, 1, args.image, args.image)
    local_views = torch.randn(args.local_crops * batch, 1, args.local_size, args.local_size)
    views = 2 + args.local_crops

    def step():
        nonlocal centre
        with torch.no_grad():
            teacher_logits = teacher(global_views)
            targets = F.softmax((teacher_logits - centre) / 0.04, dim=-1).chunk(2)
        student_out = torch.cat([student(global_views), student(local_views)]) / 0.1
        log_probs = F.log_softmax(student_out, dim=-1).chunk(views)
        loss, pairs = 0.0, 0
        for t_index, target in enumerate(targets):
            for v in range(views):
                if v != t_index:
                    loss = loss + torch.sum(-target * log_probs[v], dim=-1).mean()
                    pairs += 1
        loss = loss / pairs
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        clip_per_parameter(student, 3.0)
        student[1].last_layer.grad = None  # frozen in the first epoch
        optimizer.step()
        with torch.no_grad():
            m = 0.996
            for t, s in zip(teacher.parameters(), student.parameters()):
                t.mul_(m).add_(s.detach(), alpha=1 - m)
            centre = centre * 0.9 + teacher_logits.mean(dim=0, keepdim=True) * 0.1

    return step, student[0]


def moco_mlp(layers, n_in, hidden, n_out):
    """MoCo v3's _build_mlp: bias-free linear layers, BatchNorm1d + ReLU between, BatchNorm1d(affine=False) last."""
    modules = []
    for i in range(layers):
        a, b = (n_in if i == 0 else hidden), (n_out if i == layers - 1 else hidden)
        modules.append(Linear(a, b, bias=False))
        modules += [nn.BatchNorm1d(b), nn.ReLU()] if i < layers - 1 else [nn.BatchNorm1d(b, affine=False)]
    return nn.Sequential(*modules)


def moco_stepper(args, batch):
    """MoCo v3 (moco/builder.py): base encoder + predictor, momentum encoder by EMA, symmetric contrastive loss."""
    torch.manual_seed(args.seed)
    base = nn.Sequential(VisionTransformer(args.image, args.patch, args.dim, args.depth, args.heads, args.pooling),
                         moco_mlp(3, args.dim, 1024, 256))
    predictor = moco_mlp(2, 256, 1024, 256)
    momentum = copy.deepcopy(base)
    for p in momentum.parameters():
        p.requires_grad = False
    trained = nn.ModuleList([base, predictor])
    optimizer = adamw(trained, args.lr, 0.1)
    x1 = torch.randn(batch, 1, args.image, args.image)
    x2 = torch.randn(batch, 1, args.image, args.image)
    labels = torch.arange(batch)
    tau = 0.2

    def ctr(q, k):
        logits = F.normalize(q, dim=1) @ F.normalize(k, dim=1).t() / tau
        return F.cross_entropy(logits, labels) * 2 * tau

    def step():
        q1, q2 = predictor(base(x1)), predictor(base(x2))
        with torch.no_grad():
            for m_p, b_p in zip(momentum.parameters(), base.parameters()):
                m_p.mul_(0.99).add_(b_p.detach(), alpha=0.01)
            k1, k2 = momentum(x1), momentum(x2)
        loss = ctr(q1, k2) + ctr(q2, k1)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

    return step, base[0]


def median_seconds(fn, warmup, steps):
    for _ in range(warmup):
        fn()
    seconds = []
    for _ in range(steps):
        start = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trainer", choices=["supervised", "dino", "mocov3"], default="supervised")
    parser.add_argument("--pooling", choices=["simpool", "gap", "cls"], default="simpool")
    parser.add_argument("--image", type=int, default=28)
    parser.add_argument("--patch", type=int, default=4)
    parser.add_argument("--dim", type=int, default=192)
    parser.add_argument("--depth", type=int, default=4)
    parser.add_argument("--heads", type=int, default=3)
    parser.add_argument("--out-dim", type=int, default=1024)
    parser.add_argument("--local-crops", type=int, default=6)
    parser.add_argument("--local-size", type=int, default=12)
    parser.add_argument("--lr", type=float, default=5e-4)
    parser.add_argument("--batches", default="64,256")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=int(os.environ.get("OMP_NUM_THREADS", "1")))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--autocast", action="store_true",
                        help="steps and inference under torch.autocast('cpu', bfloat16): PoolLab's bf16-matmul peer")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    results = {"engine": "pytorch " + torch.__version__, "threads": args.threads, "trainer": args.trainer,
               "pooling": args.pooling, "precision": "autocast-bf16" if args.autocast else "fp32"}

    def autocast():
        return torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.autocast)

    make_stepper = {"dino": dino_stepper, "mocov3": moco_stepper, "supervised": supervised_stepper}[args.trainer]
    for batch in [int(b) for b in args.batches.split(",")]:
        step, backbone = make_stepper(args, batch)

        def autocast_step():
            with autocast():
                step()

        results[f"train_img_per_s_b{batch}"] = batch / median_seconds(autocast_step, args.warmup, args.steps)
        backbone.eval()
        images = torch.randn(batch, 1, args.image, args.image)
        with torch.no_grad(), autocast():
            results[f"inference_img_per_s_b{batch}"] = batch / median_seconds(lambda: backbone(images),
                                                                              args.warmup, args.steps)
    results["train_peak_rss_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9
    print(json.dumps(results))


if __name__ == "__main__":
    main()
