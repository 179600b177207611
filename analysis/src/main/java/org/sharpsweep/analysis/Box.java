package org.sharpsweep.analysis;

/** An axis-aligned rectangle in image pixels, origin top left. */
public record Box(int x, int y, int width, int height) {
    public int centreX() {
        return x + width / 2;
    }

    public int centreY() {
        return y + height / 2;
    }

    public boolean contains(double px, double py) {
        return px >= x && px < x + width && py >= y && py < y + height;
    }
}
