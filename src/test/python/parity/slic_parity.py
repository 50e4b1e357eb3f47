"""Reference outputs for Slic: skimage.segmentation.slic on the same images.

Each image is flat regions (a label map, run-length encoded, and one float32 colour per region and
channel) plus seeded float32 noise (seeded.uniform), added in float32 as the Java test does; the
float32 image is widened to float64 for skimage, as Slic computes in doubles. Expected labels are
skimage's minus start_label (Slic counts from 0), relabelled by first occurrence in raster order
when connectivity is not enforced. Run with /usr/bin/python3 (Debian python3-skimage 0.19.3);
writes src/test/resources/parity/slic.json.
"""
import numpy as np
import skimage
from skimage.segmentation import slic

import seeded


def rle(values):
    """[value, run, value, run, ...] of a flat int array."""
    out = []
    for v in values.ravel():
        if out and out[-2] == int(v):
            out[-1] += 1
        else:
            out += [int(v), 1]
    return out


def regions(h, w, kind):
    yy, xx = np.mgrid[:h, :w]
    truth = np.zeros((h, w), int)
    if kind == "blocks":
        truth[(yy < h // 2) & (xx < w // 3)] = 1
        truth[(yy >= h // 3) & (xx >= w // 2)] = 2
        truth[(yy - h * 0.7) ** 2 + (xx - w * 0.25) ** 2 < (min(h, w) * 0.18) ** 2] = 3
    elif kind == "stripes":
        truth = (xx * 5 // w) + 5 * (yy >= h // 2)
    elif kind == "corner":  # a Fashion-MNIST-sized trigger: a 4 x 4 square in the corner of a garment-like blob
        truth[(yy - h / 2) ** 2 / (h * 0.4) ** 2 + (xx - w / 2) ** 2 / (w * 0.3) ** 2 < 1] = 1
        truth[:4, :4] = 2
    return truth


def main():
    cases = []
    seed = 7000
    grid = [(28, 28, 1, 50, 0.1, "corner", True), (28, 28, 1, 25, 0.05, "corner", True),
            (60, 80, 1, 100, 0.1, "blocks", True), (100, 70, 1, 200, 0.05, "blocks", True),
            (40, 40, 1, 20, 1.0, "stripes", True), (33, 57, 1, 64, 0.2, "blocks", False),
            (60, 80, 3, 100, 10.0, "blocks", True), (64, 64, 3, 30, 20.0, "stripes", True),
            (40, 40, 3, 16, 5.0, "blocks", True), (32, 48, 3, 50, 30.0, "corner", False),
            (12, 200, 1, 40, 0.1, "stripes", True), (28, 28, 3, 1000, 10.0, "blocks", True)]
    for h, w, c, n, m, kind, connect in grid:
        seed += 2
        truth = regions(h, w, kind)
        rng = np.random.default_rng(seed)
        colours = rng.uniform(0, 1, (truth.max() + 1, c)).astype(np.float32)
        noise_recipe = seeded.uniform(seed, c * h * w, -0.01, 0.02)
        noise = seeded.materialise(noise_recipe).reshape(c, h, w)
        image = (np.moveaxis(colours[truth], -1, 0) + noise).astype(np.float32)
        if c == 1:
            ref = slic(image[0].astype(np.float64), n_segments=n, compactness=m, channel_axis=None,
                       enforce_connectivity=connect, start_label=0)
        else:
            ref = slic(np.moveaxis(image, 0, -1).astype(np.float64), n_segments=n, compactness=m,
                       channel_axis=-1, enforce_connectivity=connect, start_label=0)
        _, first = np.unique(ref.ravel(), return_index=True)
        order = {int(ref.ravel()[i]): k for k, i in enumerate(sorted(first))}
        labels = np.vectorize(order.get)(ref)
        cases.append({"name": f"{kind} {h}x{w}x{c} n={n} m={m:g}" + ("" if connect else " unconnected"),
                      "height": h, "width": w, "channels": c, "segments": n, "compactness": m,
                      "connectivity": connect, "truth": rle(truth), "colours": [float(v) for v in colours.ravel()],
                      "noise": noise_recipe, "labels": rle(labels)})
    seeded.write("slic", {"reference": "skimage.segmentation.slic, scikit-image " + skimage.__version__,
                          "cases": cases})


if __name__ == "__main__":
    main()
