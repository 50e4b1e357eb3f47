package dev.gauntlet.explain.anchor;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import dev.gauntlet.explain.Segmentation;
import dev.gauntlet.explain.Segmenter;
import dev.gauntlet.explain.Segments;

/**
 * Anchors (Ribeiro et al. 2018) for images, as alibi's {@code AnchorImage}: the features are the
 * image's superpixels, and an anchor is a set of superpixels such that, whenever they are kept and
 * the others are each replaced with probability ½, the model predicts the image's class with
 * probability at least {@code threshold} (precision). Coverage is the fraction of such random
 * perturbations that keep the anchor's superpixels (about {@code 2^-size}), so smaller anchors cover
 * more.
 *
 * <p>The search is the tabular {@link Anchors}' (beam search, KL-LUCB, alibi's defaults: threshold
 * 0.95, δ 0.1, τ 0.15, batches of 100, beam 1, stop at the first anchor; 10,000 coverage samples).
 * A replaced superpixel takes its pixels from a background value (0 by default), from an image
 * drawn from a background set (alibi's {@code images_background}), or from the superpixel's own mean
 * (alibi's default without a background set; note that a flat superpixel then stays as it is, which
 * hides a trigger made of one flat patch). Segments are SLIC superpixels (alibi's default segmentation
 * function) of 25 segments at compactness 0.1 unless set. Seeded.
 */
public final class AnchorImage {

    private static final int COVERAGE_SAMPLES = 10_000;

    /** How a replaced superpixel is filled. */
    private enum Fill { VALUE, MEAN, BACKGROUND }

    private final Segmenter segmenter;
    private final double threshold;
    private final int beamSize;
    private final Fill fill;
    private final float value;
    private final Dataset background;

    private AnchorImage(Segmenter segmenter, double threshold, int beamSize, Fill fill, float value,
            Dataset background) {
        this.segmenter = segmenter;
        this.threshold = threshold;
        this.beamSize = beamSize;
        this.fill = fill;
        this.value = value;
        this.background = background;
    }

    /**
     * Image anchors over SLIC superpixels (25 segments, compactness 0.1: grey images in [0, 1]),
     * replaced superpixels filled with 0.
     *
     * @return the explainer
     */
    public static AnchorImage defaults() {
        return new AnchorImage(Segmenter.slic(25, 0.1), 0.95, 1, Fill.VALUE, 0, null);
    }

    /**
     * Sets how images are cut into features.
     *
     * @param segmenter e.g. {@code Segmenter.slic(50, 0.1)} or {@code Segmenter.patches(7)}
     * @return a copy
     */
    public AnchorImage segmenter(Segmenter segmenter) {
        return new AnchorImage(Objects.requireNonNull(segmenter, "segmenter"), threshold, beamSize, fill, value,
                background);
    }

    /**
     * Sets the precision an anchor must reach.
     *
     * @param precision in (0, 1]
     * @return a copy
     */
    public AnchorImage threshold(double precision) {
        if (!(precision > 0 && precision <= 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1], got " + precision);
        }
        return new AnchorImage(segmenter, precision, beamSize, fill, value, background);
    }

    /**
     * Sets how many candidate anchors each round keeps (alibi's {@code beam_size}, 1 by default).
     *
     * @param size at least 1
     * @return a copy
     */
    public AnchorImage beamSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("beam size must be >= 1, got " + size);
        }
        return new AnchorImage(segmenter, threshold, size, fill, value, background);
    }

    /**
     * Fills replaced superpixels with one value.
     *
     * @param background the value, e.g. 0 for a black background
     * @return a copy
     */
    public AnchorImage fillWith(double background) {
        if (!Double.isFinite(background)) {
            throw new IllegalArgumentException("the fill value must be finite, got " + background);
        }
        return new AnchorImage(segmenter, threshold, beamSize, Fill.VALUE, (float) background, null);
    }

    /**
     * Fills each replaced superpixel with its own mean per channel (alibi's default).
     *
     * @return a copy
     */
    public AnchorImage fillWithSegmentMeans() {
        return new AnchorImage(segmenter, threshold, beamSize, Fill.MEAN, 0, null);
    }

    /**
     * Fills replaced superpixels with the same pixels of an image drawn from {@code images} for
     * each perturbation (alibi's {@code images_background}).
     *
     * @param images images of the explained images' shape
     * @return a copy
     */
    public AnchorImage fillFrom(Dataset images) {
        Objects.requireNonNull(images, "images");
        if (images.size() == 0) {
            throw new IllegalArgumentException("the background set " + images.name() + " is empty");
        }
        return new AnchorImage(segmenter, threshold, beamSize, Fill.BACKGROUND, 0, images);
    }

    /** @return the settings, for reports */
    public String name() {
        String how = switch (fill) {
            case VALUE -> "fill=" + value;
            case MEAN -> "fill=segment means";
            case BACKGROUND -> "fill=images of " + background.name();
        };
        return String.format(Locale.ROOT, "anchor-image(%s, %s, threshold=%s, beam=%d)", segmenter.name(), how,
                threshold, beamSize);
    }

    /**
     * An image anchor.
     *
     * @param segments the anchor's superpixels, ascending
     * @param precision the estimated precision
     * @param coverage the fraction of perturbations that keep the anchor
     * @param predictedClass the image's class
     * @param samples the perturbations drawn for this anchor
     * @param segmentation the image's superpixels
     */
    public record Anchor(List<Integer> segments, double precision, double coverage, int predictedClass, int samples,
            Segmentation segmentation) {

        /** Copies the segments. */
        public Anchor {
            segments = List.copyOf(segments);
            Objects.requireNonNull(segmentation, "segmentation");
        }

        /** @return the number of superpixels */
        public int size() {
            return segments.size();
        }

        /** @return {@code height * width} flags marking the anchor's pixels */
        public boolean[] mask() {
            return segmentation.mask(segments);
        }

        /**
         * The fraction of the anchor's pixels inside a rectangle.
         *
         * @param top the rectangle's first row
         * @param left its first column
         * @param rows its height
         * @param columns its width
         * @return in [0, 1]; 0 for the empty anchor
         */
        public double shareIn(int top, int left, int rows, int columns) {
            boolean[] mask = mask();
            int inside = 0;
            int all = 0;
            for (int p = 0; p < mask.length; p++) {
                if (mask[p]) {
                    all++;
                    int y = p / segmentation.width();
                    int x = p % segmentation.width();
                    inside += y >= top && y < top + rows && x >= left && x < left + columns ? 1 : 0;
                }
            }
            return all == 0 ? 0 : (double) inside / all;
        }

        /** @return e.g. {@code superpixels [0, 7] (2 of 24)} */
        public String rule() {
            return "superpixels " + segments + " (" + segments.size() + " of " + segmentation.count() + ")";
        }
    }

    /**
     * Finds the anchor of one image.
     *
     * @param classifier the model
     * @param images images of shape {@code (channels, height, width)}
     * @param index the image to explain
     * @param seed the seed of the perturbations
     * @return the anchor
     */
    public Anchor explain(Classifier classifier, Dataset images, int index, long seed) {
        long[] shape = images.sampleShape().getShape();
        if (shape.length != 3) {
            throw new IllegalArgumentException("image anchors need samples of shape (channels, height, width), got "
                    + images.sampleShape() + "; use Anchors for tabular rows");
        }
        int channels = (int) shape[0];
        int height = (int) shape[1];
        int width = (int) shape[2];
        if (background != null && !background.sampleShape().equals(images.sampleShape())) {
            throw new IllegalArgumentException("background images have shape " + background.sampleShape()
                    + ", the explained images " + images.sampleShape());
        }
        float[] image = images.features(index);
        Segmentation segmentation = segmenter.segment(image, channels, height, width);
        Segments segments = Segments.of(segmentation, channels);
        int m = segmentation.count();
        float[] means = fill == Fill.MEAN ? segmentMeans(image, segments, channels, height * width) : null;
        SplittableRandom random = new SplittableRandom(seed);
        int target = classifier.predict(batch(image, 1, shape, classifier.numClasses()))[0];
        // alibi draws the coverage masks once, from the empty anchor
        boolean[][] coverageMasks = new boolean[COVERAGE_SAMPLES][m];
        for (boolean[] row : coverageMasks) {
            for (int k = 0; k < m; k++) {
                row[k] = random.nextBoolean();
            }
        }
        AnchorSearch.Found found = AnchorSearch.search(m, beamSize, threshold, (anchor, count, stats) -> {
            int size = image.length;
            float[] rows = new float[count * size];
            for (int i = 0; i < count; i++) {
                boolean[] keep = new boolean[m];
                for (int k = 0; k < m; k++) {
                    keep[k] = random.nextBoolean();
                }
                for (int k : anchor) {
                    keep[k] = true;
                }
                float[] replacement = switch (fill) {
                    case VALUE -> null;
                    case MEAN -> means;
                    case BACKGROUND -> background.features(random.nextInt(background.size()));
                };
                for (int j = 0; j < size; j++) {
                    rows[i * size + j] = keep[segments.segmentOf(j)] ? image[j]
                            : replacement == null ? value : replacement[j];
                }
            }
            int[] predicted = classifier.predict(batch(rows, count, shape, classifier.numClasses()));
            stats[0] += count;
            for (int p : predicted) {
                stats[1] += p == target ? 1 : 0;
            }
        }, anchor -> {
            int covered = 0;
            for (boolean[] row : coverageMasks) {
                boolean holds = true;
                for (int k : anchor) {
                    holds &= row[k];
                }
                covered += holds ? 1 : 0;
            }
            return (double) covered / COVERAGE_SAMPLES;
        });
        return new Anchor(found.features(), (double) found.positives() / found.samples(), found.coverage(), target,
                found.samples(), segmentation);
    }

    /**
     * Finds the anchor of every image.
     *
     * @param classifier the model
     * @param images the images
     * @param seed the seed; image {@code i} uses {@code seed + i}
     * @return one anchor per image
     */
    public List<Anchor> explainAll(Classifier classifier, Dataset images, long seed) {
        List<Anchor> anchors = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            anchors.add(explain(classifier, images, i, seed + i));
        }
        return anchors;
    }

    private static float[] segmentMeans(float[] image, Segments segments, int channels, int pixels) {
        double[] sum = new double[channels * segments.count()];
        int[] count = new int[channels * segments.count()];
        for (int j = 0; j < image.length; j++) {
            int slot = (j / pixels) * segments.count() + segments.segmentOf(j);
            sum[slot] += image[j];
            count[slot]++;
        }
        float[] means = new float[image.length];
        for (int j = 0; j < image.length; j++) {
            int slot = (j / pixels) * segments.count() + segments.segmentOf(j);
            means[j] = (float) (sum[slot] / count[slot]);
        }
        return means;
    }

    private static Dataset batch(float[] pixels, int count, long[] shape, int classes) {
        return Dataset.builder().setFeatures(pixels, shape).setLabels(new int[count]).setNumClasses(classes)
                .optBounds(ValueBounds.unbounded()).optName("anchor perturbations").build();
    }

    @Override
    public String toString() {
        return name();
    }
}
