package io.shipgan.generator.imaging;

/**
 * Where the tiles of a multi-sample image go: {@code ceil(sqrt(n))} columns, as many rows as needed, row by row,
 * with a {@link #GAP} pixel dark gap between tiles and none around the edge.
 *
 * @param columns    tiles per row
 * @param rows       rows of tiles
 * @param tileWidth  width of one tile in pixels
 * @param tileHeight height of one tile in pixels
 */
public record ImageGrid(int columns, int rows, int tileWidth, int tileHeight) {

    /** Pixels between two neighbouring tiles. */
    public static final int GAP = 2;

    /** One row of {@code count} tiles, e.g. the steps of an interpolation. */
    public static ImageGrid strip(int count, int tileWidth, int tileHeight) {
        if (count < 1) {
            throw new IllegalArgumentException("a strip needs at least one tile, got " + count);
        }
        return new ImageGrid(count, 1, tileWidth, tileHeight);
    }

    /** The grid for {@code count} tiles of the given size. */
    public static ImageGrid forCount(int count, int tileWidth, int tileHeight) {
        if (count < 1) {
            throw new IllegalArgumentException("a grid needs at least one tile, got " + count);
        }
        int columns = (int) Math.ceil(Math.sqrt(count));
        int rows = (count + columns - 1) / columns;
        return new ImageGrid(columns, rows, tileWidth, tileHeight);
    }

    public int width() {
        return columns * tileWidth + (columns - 1) * GAP;
    }

    public int height() {
        return rows * tileHeight + (rows - 1) * GAP;
    }

    /** Left edge of tile {@code index}. */
    public int tileX(int index) {
        return (index % columns) * (tileWidth + GAP);
    }

    /** Top edge of tile {@code index}. */
    public int tileY(int index) {
        return (index / columns) * (tileHeight + GAP);
    }
}
