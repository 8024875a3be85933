package io.shipgan.trainer.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Lists the chips of a ShipsNet folder: one PNG per chip, named {@code {label}__{scene id}__{lon}_{lat}.png}. */
final class PngFolderReader {

    private static final Pattern CHIP_NAME =
            Pattern.compile("([01])__(.+)__(-?[0-9]+(?:\\.[0-9]+)?)_(-?[0-9]+(?:\\.[0-9]+)?)\\.png");

    private PngFolderReader() {
    }

    /** The chips of the folder in file-name order; their pixels are decoded only when asked for. */
    static List<ChipSource> list(Path folder) {
        List<ChipSource> chips = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                Matcher name = CHIP_NAME.matcher(file.getFileName().toString());
                if (name.matches()) {
                    chips.add(new ChipSource(
                            ChipLabel.fromCode(Integer.parseInt(name.group(1))),
                            name.group(2),
                            Double.parseDouble(name.group(3)),
                            Double.parseDouble(name.group(4)),
                            () -> decodePlanarRgb(file)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list chips in " + folder, e);
        }
        return chips;
    }

    /** Decodes one chip by its content (ImageIO picks the reader) into planar 8-bit RGB. */
    static int[] decodePlanarRgb(Path file) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode chip " + file, e);
        }
        if (image == null) {
            throw new IllegalArgumentException("chip " + file + " is not an image ImageIO can decode");
        }
        if (image.getWidth() != Chip.SIZE || image.getHeight() != Chip.SIZE) {
            throw new IllegalArgumentException("chip " + file + " is " + image.getWidth() + "x" + image.getHeight()
                    + ", expected " + Chip.SIZE + "x" + Chip.SIZE);
        }
        if (image.getColorModel().getNumColorComponents() != Chip.CHANNELS) {
            throw new IllegalArgumentException("chip " + file + " has "
                    + image.getColorModel().getNumColorComponents() + " colour channels, expected RGB");
        }
        int plane = Chip.SIZE * Chip.SIZE;
        int[] rgb = new int[Chip.VALUES];
        for (int y = 0; y < Chip.SIZE; y++) {
            for (int x = 0; x < Chip.SIZE; x++) {
                int argb = image.getRGB(x, y);
                int at = y * Chip.SIZE + x;
                rgb[at] = (argb >> 16) & 0xff;
                rgb[plane + at] = (argb >> 8) & 0xff;
                rgb[2 * plane + at] = argb & 0xff;
            }
        }
        return rgb;
    }
}
