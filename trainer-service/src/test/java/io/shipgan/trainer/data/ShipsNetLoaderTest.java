package io.shipgan.trainer.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.shipgan.trainer.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShipsNetLoaderTest {

    private static final Set<ChipLabel> BOTH = EnumSet.allOf(ChipLabel.class);

    @TempDir
    Path temp;

    @Test
    void folderLoadsTheProjectSplitWithoutHeldoutScenesInTraining() {
        Set<String> heldoutScenes = HeldoutScenes.read(TestSupport.heldoutScenesFile());

        ChipSet chips = ShipsNetLoader.load(TestSupport.shipsnetFolder(), TestSupport.heldoutScenesFile(),
                EnumSet.of(ChipLabel.SHIP), 0);

        assertEquals(103, heldoutScenes.size());
        assertEquals(3202, chips.trainScenesChips());
        assertEquals(798, chips.heldoutScenesChips());
        assertEquals(821, chips.train().size());
        assertEquals(179, chips.heldout().size());
        assertTrue(chips.train().stream().allMatch(chip -> chip.label() == ChipLabel.SHIP));
        assertTrue(chips.train().stream().noneMatch(chip -> heldoutScenes.contains(chip.sceneId())));
        assertTrue(chips.heldout().stream().allMatch(chip -> heldoutScenes.contains(chip.sceneId())));
    }

    @Test
    void jsonFormLoadsExactlyThePixelsOfThePngs() throws IOException {
        List<Path> pngs = somePngsOfBothLabelsAndSplits();
        Path json = temp.resolve("shipsnet.json");
        writeShipsnetJson(pngs, json);
        Path folder = temp.resolve("pngs");
        Files.createDirectories(folder);
        for (Path png : pngs) {
            Files.copy(png, folder.resolve(png.getFileName()));
        }

        ChipSet fromJson = ShipsNetLoader.load(json, TestSupport.heldoutScenesFile(), BOTH, 0);
        ChipSet fromPngs = ShipsNetLoader.load(folder, TestSupport.heldoutScenesFile(), BOTH, 0);

        assertEquals(pngs.size(), fromJson.train().size() + fromJson.heldout().size());
        assertFalse(fromJson.heldout().isEmpty());
        assertChipsEqual(sorted(fromPngs.train()), sorted(fromJson.train()));
        assertChipsEqual(sorted(fromPngs.heldout()), sorted(fromJson.heldout()));
    }

    @Test
    void pixelsAreScaledFromBytesToMinusOneToOne() {
        Path png = firstPng();
        int[] rgb = PngFolderReader.decodePlanarRgb(png);

        Chip chip = Chip.fromPlanarRgb(ChipLabel.SHIP, "scene", 0, 0, rgb);

        for (int i = 0; i < Chip.VALUES; i += 997) {
            assertEquals(rgb[i] / 127.5f - 1f, chip.pixels()[i], 0f);
        }
        assertEquals(-1f, Chip.fromPlanarRgb(ChipLabel.SHIP, "s", 0, 0, new int[Chip.VALUES]).pixels()[0], 0f);
    }

    @Test
    void missingDataPathFailsNamingThePathAndWhereToGetTheData() {
        Path missing = temp.resolve("no-such-shipsnet");

        MissingDatasetException e = assertThrows(MissingDatasetException.class, () -> ShipsNetLoader.load(
                missing, TestSupport.heldoutScenesFile(), EnumSet.of(ChipLabel.SHIP), 0));

        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("shipgan.trainer.data-path"), e.getMessage());
        assertTrue(e.getMessage().contains("ShipsNet"), e.getMessage());
        assertTrue(e.getMessage().contains("../shared/data/README.md"), e.getMessage());
    }

    @Test
    void emptyFolderFailsAsMissingData() {
        MissingDatasetException e = assertThrows(MissingDatasetException.class, () -> ShipsNetLoader.load(
                temp, TestSupport.heldoutScenesFile(), EnumSet.of(ChipLabel.SHIP), 0));

        assertTrue(e.getMessage().startsWith("no ShipsNet chips found at " + temp), e.getMessage());
    }

    @Test
    void maxChipsCapsEachLabelOfEachSplit() {
        ChipSet chips = ShipsNetLoader.load(TestSupport.shipsnetFolder(), TestSupport.heldoutScenesFile(),
                EnumSet.allOf(ChipLabel.class), 12);

        assertEquals(24, chips.train().size());
        assertEquals(12, chips.train().stream().filter(chip -> chip.label() == ChipLabel.SHIP).count());
        assertEquals(24, chips.heldout().size());
        assertEquals(3202, chips.trainScenesChips());
    }

    @Test
    void trainLabelsParseFromConfigNames() {
        assertEquals(EnumSet.of(ChipLabel.SHIP), ChipLabel.fromConfigNames(List.of("ship")));
        assertEquals(BOTH, ChipLabel.fromConfigNames(List.of("ship", " no-ship")));
        assertThrows(IllegalArgumentException.class, () -> ChipLabel.fromConfigNames(List.of("boat")));
    }

    /** Three ship and three no-ship chips from training scenes, and one of each from held-out scenes. */
    private static List<Path> somePngsOfBothLabelsAndSplits() throws IOException {
        Set<String> heldout = HeldoutScenes.read(TestSupport.heldoutScenesFile());
        try (Stream<Path> files = Files.list(TestSupport.shipsnetFolder())) {
            List<Path> all = files.sorted().toList();
            return Stream.of(
                    pick(all, "1__", heldout, false, 3),
                    pick(all, "0__", heldout, false, 3),
                    pick(all, "1__", heldout, true, 1),
                    pick(all, "0__", heldout, true, 1))
                    .flatMap(List::stream)
                    .toList();
        }
    }

    private static List<Path> pick(List<Path> files, String prefix, Set<String> heldout, boolean fromHeldout,
                                   int count) {
        return files.stream()
                .filter(file -> file.getFileName().toString().startsWith(prefix))
                .filter(file -> heldout.contains(file.getFileName().toString().split("__")[1]) == fromHeldout)
                .limit(count)
                .toList();
    }

    /** Writes ShipsNet's JSON form the way it is distributed, decoding the PNGs independently of the loader. */
    private static void writeShipsnetJson(List<Path> pngs, Path json) throws IOException {
        try (JsonGenerator out = new JsonFactory().createGenerator(json.toFile(), com.fasterxml.jackson.core
                .JsonEncoding.UTF8)) {
            out.writeStartObject();
            out.writeArrayFieldStart("data");
            for (Path png : pngs) {
                BufferedImage image = ImageIO.read(png.toFile());
                out.writeStartArray();
                for (int shift : new int[] {16, 8, 0}) {
                    for (int y = 0; y < 80; y++) {
                        for (int x = 0; x < 80; x++) {
                            out.writeNumber((image.getRGB(x, y) >> shift) & 0xff);
                        }
                    }
                }
                out.writeEndArray();
            }
            out.writeEndArray();
            out.writeArrayFieldStart("labels");
            for (Path png : pngs) {
                out.writeNumber(Integer.parseInt(nameParts(png)[0]));
            }
            out.writeEndArray();
            out.writeArrayFieldStart("locations");
            for (Path png : pngs) {
                String[] lonLat = nameParts(png)[2].replace(".png", "").split("_");
                out.writeStartArray();
                out.writeNumber(Double.parseDouble(lonLat[0]));
                out.writeNumber(Double.parseDouble(lonLat[1]));
                out.writeEndArray();
            }
            out.writeEndArray();
            out.writeArrayFieldStart("scene_ids");
            for (Path png : pngs) {
                out.writeString(nameParts(png)[1]);
            }
            out.writeEndArray();
            out.writeEndObject();
        }
    }

    private static String[] nameParts(Path png) {
        return png.getFileName().toString().split("__");
    }

    private static Path firstPng() {
        try (Stream<Path> files = Files.list(TestSupport.shipsnetFolder())) {
            return files.sorted().findFirst().orElseThrow();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Chip> sorted(List<Chip> chips) {
        return chips.stream()
                .sorted(Comparator.comparing(Chip::sceneId).thenComparing(Chip::longitude))
                .toList();
    }

    private static void assertChipsEqual(List<Chip> expected, List<Chip> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).label(), actual.get(i).label());
            assertEquals(expected.get(i).sceneId(), actual.get(i).sceneId());
            assertEquals(expected.get(i).longitude(), actual.get(i).longitude(), 0);
            assertEquals(expected.get(i).latitude(), actual.get(i).latitude(), 0);
            assertArrayEquals(expected.get(i).pixels(), actual.get(i).pixels());
        }
    }
}
