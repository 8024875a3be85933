package io.shipgan.deploy;

/** What the generators sample on: the cpu overlay or the gpu overlay. */
enum Accelerator {
    CPU("cpu"),
    GPU("gpu");

    private final String overlay;

    Accelerator(String overlay) {
        this.overlay = overlay;
    }

    /** The overlay folder under deploy/k8s/overlays. */
    String overlay() {
        return overlay;
    }
}
