package io.shipgan.trainer.score;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.stat.correlation.Covariance;

/**
 * The Fréchet distance between two sets of feature vectors, each summarised by a Gaussian (mean and covariance):
 * {@code |m1 - m2|^2 + tr(S1 + S2 - 2 (S1 S2)^(1/2))}, the measure behind FID (Heusel et al., 2017), here in the
 * feature space of ShipGAN's own classifier. 0 for identical statistics; it grows as the sets drift apart.
 *
 * <p>{@code tr((S1 S2)^(1/2))} is computed as the sum of the square roots of the eigenvalues of the symmetric
 * matrix {@code S1^(1/2) S2 S1^(1/2)}, which has the same eigenvalues as {@code S1 S2} and stays exactly symmetric
 * in floating point.
 */
public final class FrechetDistance {

    private FrechetDistance() {
    }

    /** Mean and covariance of a set of vectors. */
    public record Gaussian(RealVector mean, RealMatrix covariance, int samples) {

        /** @param rows one feature vector per row; at least two rows */
        public static Gaussian of(double[][] rows) {
            if (rows.length < 2) {
                throw new IllegalArgumentException("a covariance needs at least 2 vectors, got " + rows.length);
            }
            int dimensions = rows[0].length;
            double[] mean = new double[dimensions];
            for (double[] row : rows) {
                for (int d = 0; d < dimensions; d++) {
                    mean[d] += row[d] / rows.length;
                }
            }
            RealMatrix covariance = new Covariance(new Array2DRowRealMatrix(rows, false), true).getCovarianceMatrix();
            return new Gaussian(new ArrayRealVector(mean, false), covariance, rows.length);
        }
    }

    public static double between(double[][] first, double[][] second) {
        return between(Gaussian.of(first), Gaussian.of(second));
    }

    public static double between(Gaussian first, Gaussian second) {
        double meanTerm = first.mean().getDistance(second.mean());
        RealMatrix rootFirst = symmetricSquareRoot(first.covariance());
        RealMatrix product = rootFirst.multiply(second.covariance()).multiply(rootFirst);
        double[] eigenvalues = new EigenDecomposition(symmetrised(product)).getRealEigenvalues();
        double traceOfRoot = 0;
        for (double eigenvalue : eigenvalues) {
            // Tiny negative eigenvalues are rounding of a positive semi-definite matrix.
            traceOfRoot += Math.sqrt(Math.max(eigenvalue, 0));
        }
        double distance = meanTerm * meanTerm + first.covariance().getTrace() + second.covariance().getTrace()
                - 2 * traceOfRoot;
        // Rounding can take the distance of a set to itself a hair below 0.
        return Math.max(distance, 0);
    }

    /** The symmetric positive semi-definite square root of a covariance matrix. */
    private static RealMatrix symmetricSquareRoot(RealMatrix covariance) {
        EigenDecomposition eigen = new EigenDecomposition(symmetrised(covariance));
        double[] eigenvalues = eigen.getRealEigenvalues();
        RealMatrix vectors = eigen.getV();
        int n = eigenvalues.length;
        RealMatrix scaled = vectors.copy();
        for (int j = 0; j < n; j++) {
            double root = Math.sqrt(Math.max(eigenvalues[j], 0));
            for (int i = 0; i < n; i++) {
                scaled.multiplyEntry(i, j, root);
            }
        }
        return scaled.multiply(vectors.transpose());
    }

    /** (M + M^T) / 2: removes the asymmetry rounding leaves in a product that is symmetric in exact arithmetic. */
    private static RealMatrix symmetrised(RealMatrix matrix) {
        return matrix.add(matrix.transpose()).scalarMultiply(0.5);
    }
}
