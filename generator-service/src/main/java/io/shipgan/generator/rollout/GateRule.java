package io.shipgan.generator.rollout;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * One rule of the quality gate: a named score, which way is better, and how much worse than the active model a
 * candidate may be. Written {@code name:direction:margin}, e.g. {@code fd_ship:lower:10%} (at most 10 % above
 * the active model's Fréchet distance) or {@code ship_rate:higher:0.05} (at most 0.05 below its ship rate).
 *
 * @param score          the score's name in the checkpoint metadata
 * @param lowerIsBetter  true for {@code lower}, false for {@code higher}
 * @param margin         how much worse is still allowed: absolute, or a fraction of the active score
 * @param relative       whether the margin is a fraction of the active model's score
 */
public record GateRule(String score, boolean lowerIsBetter, double margin, boolean relative) {

    /** Parses {@code name:direction:margin}; a margin ending in {@code %} is relative. */
    public static GateRule parse(String text) {
        String[] parts = text.strip().split(":");
        if (parts.length != 3 || parts[0].isBlank()) {
            throw invalid(text, "expected name:lower|higher:margin");
        }
        String direction = parts[1].strip().toLowerCase(Locale.ROOT);
        if (!direction.equals("lower") && !direction.equals("higher")) {
            throw invalid(text, "direction must be 'lower' or 'higher' (which way is better)");
        }
        String marginText = parts[2].strip();
        boolean relative = marginText.endsWith("%");
        double margin;
        try {
            margin = Double.parseDouble(relative ? marginText.substring(0, marginText.length() - 1) : marginText);
        } catch (NumberFormatException e) {
            throw invalid(text, "margin must be a number, optionally followed by %");
        }
        if (!Double.isFinite(margin) || margin < 0) {
            throw invalid(text, "margin must be a finite number ≥ 0");
        }
        return new GateRule(parts[0].strip(), direction.equals("lower"), relative ? margin / 100 : margin, relative);
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("shipgan.generator.gate.rules: '" + text + "' is not a gate rule; "
                + why);
    }

    /** The worst score a candidate may have when the active model has {@code active}. */
    public double limit(double active) {
        double allowance = relative ? Math.abs(active) * margin : margin;
        return lowerIsBetter ? active + allowance : active - allowance;
    }

    /** Whether {@code candidate} is worse than the limit set by {@code active}. */
    public boolean fails(double candidate, double active) {
        if (!Double.isFinite(candidate)) {
            return true;
        }
        double limit = limit(active);
        return lowerIsBetter ? candidate > limit : candidate < limit;
    }

    /** The rule as written in the configuration, e.g. {@code fd_ship:lower:10%}. */
    @Override
    public String toString() {
        String marginText = relative ? format(margin * 100) + "%" : format(margin);
        return score + ":" + (lowerIsBetter ? "lower" : "higher") + ":" + marginText;
    }

    /** A score for people: six significant digits at most, no trailing zeros (44, not 44.00000000000001). */
    static String format(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
