package org.normlab.experiment;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.WeakHashMap;
import org.normlab.data.Dataset;

/**
 * The content of a dataset as 16 hex digits of SHA-256 (shape, classes, every pixel's bits, every label), so stored
 * runs are reused only on the very data they were trained on: a user who changes their data under the same sweep name
 * gets new runs. Computed once per dataset object (Fashion-MNIST's 60 000 images take a fraction of a second), reading
 * a view's examples through its index a block at a time, so a subset is fingerprinted without being copied.
 */
final class DataFingerprint {
    /** Keyed by the dataset itself (datasets compare by identity), dropped with it. */
    private static final Map<Dataset, String> KNOWN = new WeakHashMap<>();

    /** Examples copied out of a dataset at a time. */
    private static final int BLOCK = 256;

    private DataFingerprint() {}

    static synchronized String of(Dataset d) {
        String known = KNOWN.get(d);
        if (known != null) return known;
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int s : d.inputShape()) b.putInt(s);
        b.putInt(d.classes());
        int per = d.sampleSize();
        float[] block = new float[BLOCK * per];
        for (int from = 0; from < d.size(); from += BLOCK) {
            int to = Math.min(from + BLOCK, d.size());
            d.copyInputs(from, to, block);
            for (int i = 0; i < (to - from) * per; i++) {
                if (b.remaining() < 4) { sha.update(b.flip()); b.clear(); }
                b.putInt(Float.floatToRawIntBits(block[i]));
            }
        }
        for (int y : d.labels()) {
            if (b.remaining() < 4) { sha.update(b.flip()); b.clear(); }
            b.putInt(y);
        }
        sha.update(b.flip());
        String fp = HexFormat.of().formatHex(sha.digest(), 0, 8);
        KNOWN.put(d, fp);
        return fp;
    }
}
