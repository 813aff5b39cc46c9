"""PyTorch yardstick for `npm run bench`: training and evaluation speed of fedgear's architectures.

Reads one JSON request on stdin, builds each architecture as an `nn.Sequential` (NCHW), trains it
the way a fedgear client does (mini-batch SGD, momentum, coupled L2 weight decay, random
left-right flips, per-batch normalisation of uint8 pixels) and evaluates it the way `evaluate`
does (batches, argmax accuracy, summed cross-entropy), once per requested thread count. Prints
one JSON object on stdout. Speed does not depend on the pixel values, so the images are random
bytes.

Request fields: architectures (fedgear `Architecture` objects), threads (list of ints),
trainImages, evalImages, batchSize, evalBatchSize, learningRate, momentum, weightDecay, seed.

Example:
    echo '{"architectures": [...], "threads": [1, 2], "trainImages": 640, ...}' \\
        | /usr/bin/python3 bench/torch-speed.py
"""

import json
import sys
import time

import torch
from torch import nn
from torch.nn import functional as F


def build(arch):
    """The `nn.Sequential` equivalent of a fedgear Architecture: same layer sizes and order."""
    height, width, channels = arch["inputShape"]
    layers = []
    for stage in arch["stages"]:
        for filters in stage["convs"]:
            layers += [nn.Conv2d(channels, filters, kernel_size=3, padding=1), nn.ReLU()]
            channels = filters
        if stage["pool"]:
            # Floors odd sizes, as tfjs' 'valid' 2x2 pooling does.
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            height, width = height // 2, width // 2
    # Flattens NCHW where tfjs flattens NHWC: a permutation of the same features, same cost.
    layers.append(nn.Flatten())
    units = height * width * channels
    for hidden in arch["dense"]:
        layers += [nn.Linear(units, hidden), nn.ReLU()]
        units = hidden
    layers.append(nn.Linear(units, arch["classes"]))
    return nn.Sequential(*layers)


def batch(images, labels, indices, mean, std, flip):
    """Normalised float NCHW batch from uint8 NHWC images, optionally flipping some left-right."""
    x = images[indices].float().div_(255).sub_(mean).div_(std)
    if flip is not None:
        x = torch.where(flip[:, None, None, None], x.flip(2), x)
    return x.permute(0, 3, 1, 2).contiguous(), labels[indices]


def timed(run):
    """Runs `run()` and returns (wall seconds, CPU seconds of this process over all its threads)."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def train(model, images, labels, request, generator):
    mean, std = torch.full((3,), 0.5), torch.full((3,), 0.25)
    optimizer = torch.optim.SGD(
        model.parameters(),
        lr=request["learningRate"],
        momentum=request["momentum"],
        weight_decay=request["weightDecay"],
    )
    model.train()
    order = torch.randperm(len(images), generator=generator)
    size = request["batchSize"]
    for start in range(0, len(images), size):
        indices = order[start : start + size]
        flip = torch.rand(len(indices), generator=generator) < 0.5
        x, y = batch(images, labels, indices, mean, std, flip)
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        optimizer.step()


def evaluate(model, images, labels, request):
    mean, std = torch.full((3,), 0.5), torch.full((3,), 0.25)
    model.eval()
    correct, loss = 0, 0.0
    size = request["evalBatchSize"]
    with torch.no_grad():
        for start in range(0, len(images), size):
            indices = torch.arange(start, min(start + size, len(images)))
            x, y = batch(images, labels, indices, mean, std, None)
            logits = model(x)
            correct += int((logits.argmax(1) == y).sum())
            loss += float(F.cross_entropy(logits, y, reduction="sum"))
    return correct, loss


def random_images(count, arch, generator):
    height, width, channels = arch["inputShape"]
    images = torch.randint(0, 256, (count, height, width, channels), dtype=torch.uint8, generator=generator)
    labels = torch.randint(0, arch["classes"], (count,), generator=generator)
    return images, labels


def measure(arch, threads, request):
    torch.set_num_threads(threads)
    generator = torch.Generator().manual_seed(request["seed"])
    model = build(arch)
    train_images, train_labels = random_images(request["trainImages"], arch, generator)
    eval_images, eval_labels = random_images(request["evalImages"], arch, generator)
    # Warm-up, untimed: first-call allocations and kernel selection.
    warm = request["batchSize"]
    train(model, train_images[:warm], train_labels[:warm], request, generator)
    evaluate(model, eval_images[:warm], eval_labels[:warm], request)
    train_wall, train_cpu = timed(lambda: train(model, train_images, train_labels, request, generator))
    eval_wall, eval_cpu = timed(lambda: evaluate(model, eval_images, eval_labels, request))
    return {
        "gear": arch["name"],
        "threads": threads,
        "parameters": sum(p.numel() for p in model.parameters()),
        "train": {"images": len(train_images), "seconds": train_wall, "cpuSeconds": train_cpu},
        "evaluate": {"images": len(eval_images), "seconds": eval_wall, "cpuSeconds": eval_cpu},
    }


def main():
    request = json.load(sys.stdin)
    # Only intra-op threads are under test; inter-op parallelism does not apply to a Sequential.
    torch.set_num_interop_threads(1)
    results = [measure(arch, threads, request) for arch in request["architectures"] for threads in request["threads"]]
    json.dump({"torch": torch.__version__, "results": results}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
