package dev.gauntlet.assertj;

import dev.gauntlet.explain.concept.Spray;
import dev.gauntlet.report.Evidence;
import dev.gauntlet.report.Fields;
import dev.gauntlet.report.ImageGrid;
import dev.gauntlet.report.ModelLabels;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Clever-Hans detection by SpRAy (Lapuschkin et al. 2019): a class's heatmaps are clustered and no
 * cluster may concentrate its relevance on the border or in a small fixed region. Evidence: the
 * montage of cluster mean heatmaps with their shares.
 *
 * <pre>{@code
 * assertThatModel(cnn).on(test).spray(0).showsNoSpuriousCluster();
 * }</pre>
 */
public class SprayAssert extends GauntletAssert<SprayAssert, SprayAssert.Subject> {

    /**
     * The model and images, the analysis and the class.
     *
     * @param target the model and images
     * @param spray the analysis
     * @param targetClass the class
     */
    public record Subject(ModelOnData target, Spray spray, int targetClass) {}

    /**
     * Creates the assertion; prefer {@code assertThatModel(model).on(images).spray(class)}.
     *
     * @param actual the subject
     */
    public SprayAssert(Subject actual) {
        super(actual, SprayAssert.class);
    }

    /**
     * Verifies that no cluster of the class's heatmaps is flagged.
     *
     * @return this assertion
     */
    public SprayAssert showsNoSpuriousCluster() {
        isNotNull();
        Evidence evidence = evidence();
        ModelLabels.record(evidence, actual.target().classifier(), actual.target().data());
        Map<String, Object> parameters = Fields.of(
                "class", actual.targetClass(),
                "explainer", actual.spray().explainer().name(),
                "clusters", actual.spray().clusters());
        Spray.Result result = evidence.step("SpRAy", parameters, () -> {
            Spray.Result r = actual.spray().analyse(actual.target().classifier(), actual.target().data(),
                    actual.targetClass(), actual.target().seed());
            if (evidence.isRecording()) {
                int grid = actual.spray().grid();
                List<ImageGrid.Tile> tiles = new ArrayList<>();
                for (Spray.Cluster c : r.clusters()) {
                    float[] heat = new float[grid * grid];
                    for (int k = 0; k < heat.length; k++) {
                        heat[k] = (float) c.meanHeatmap()[k];
                    }
                    tiles.add(new ImageGrid.Tile(String.format("%d images%nborder %.2f, window %.2f%s", c.size(),
                            c.borderShare(), c.regionShare(), c.flagged() ? " FLAGGED" : ""), grid, grid, heat,
                            ImageGrid.Palette.DIVERGING));
                }
                evidence.imageGrid(new ImageGrid("SpRAy clusters of class " + actual.targetClass(), 4, tiles));
            }
            return r;
        });
        failUnlessAtMost("SpRAy", parameters, result.images(), "clusters with relevance on the border or one region",
                0, result.flaggedClusters());
        return myself;
    }
}
