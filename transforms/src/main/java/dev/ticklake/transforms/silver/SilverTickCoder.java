package dev.ticklake.transforms.silver;

import dev.ticklake.schemas.event.BarInterval;
import dev.ticklake.schemas.event.EventKind;
import dev.ticklake.transforms.util.EncodedChunk;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

/**
 * {@link SilverTick#CODER}: one length-prefixed block per row: {@code varint(block length)}, then
 * symbol, ts, kind, interval, open, high, low, close, volume, source, event id, ingest ts, Bronze
 * partition and offset (numbers fixed-width big-endian, strings as varint length + UTF-8). The row
 * is built in a byte array and written (and read) with one call: runners hand coders streams whose
 * per-call overhead dominates when every field is written separately. Deterministic: equal rows
 * encode to equal bytes.
 */
final class SilverTickCoder extends AtomicCoder<SilverTick> {
  private static final long serialVersionUID = 1L;
  private static final EventKind[] KINDS = EventKind.values();
  private static final BarInterval[] INTERVALS = BarInterval.values();
  private static final int FIXED_BYTES = 8 + 1 + 1 + 4 * 8 + 8 + 8 + 4 + 8;

  @Override
  public void encode(SilverTick t, OutputStream out) throws IOException {
    // The row is written after a 5-byte gap, then its length goes right before it: string
    // lengths in UTF-8 are only known once written (ASCII, the usual case, is copied char by
    // char in one pass, without a UTF-8 array per string; 3 bytes per char bound the rest).
    // Inside an EncodedChunk (the shuffle's chunks) the row is built in the chunk's own array.
    int stringChars = t.symbol().length() + t.source().length() + t.eventId().length();
    int maxBytes = 5 + FIXED_BYTES + 3 * 5 + 3 * stringChars;
    EncodedChunk.Sink sink = out instanceof EncodedChunk.Sink s ? s : null;
    int base = sink == null ? 0 : sink.size();
    ByteBuffer b = ByteBuffer.wrap(sink == null ? new byte[maxBytes] : sink.reserve(maxBytes));
    b.position(base + 5);
    putString(b, t.symbol());
    b.putLong(t.tsMicros());
    b.put((byte) t.kind().ordinal());
    b.put((byte) (t.interval() == null ? -1 : t.interval().ordinal()));
    b.putDouble(t.open());
    b.putDouble(t.high());
    b.putDouble(t.low());
    b.putDouble(t.close());
    b.putLong(t.volume());
    putString(b, t.source());
    putString(b, t.eventId());
    b.putLong(t.ingestTsMicros());
    b.putInt(t.bronzePartition());
    b.putLong(t.bronzeOffset());
    int length = b.position() - base - 5;
    int start = base + 5 - VarInt.getLength(length);
    b.position(start);
    putVarInt(b, length);
    int total = base + 5 + length - start;
    if (sink == null) {
      out.write(b.array(), start, total);
    } else {
      System.arraycopy(b.array(), start, b.array(), base, total);
      sink.advance(total);
    }
  }

  @Override
  public SilverTick decode(InputStream in) throws IOException {
    int length = VarInt.decodeInt(in);
    if (length < FIXED_BYTES) {
      throw new CoderException("SilverTick block of " + length + " bytes is too short");
    }
    ByteBuffer b;
    if (in instanceof EncodedChunk.Source source && source.available() >= length) {
      b = ByteBuffer.wrap(source.array(), source.position(), length);
      source.skip(length);
    } else {
      byte[] block = new byte[length];
      int read = in.readNBytes(block, 0, length);
      if (read < length) {
        throw new EOFException("SilverTick block ends after " + read + " of " + length + " bytes");
      }
      b = ByteBuffer.wrap(block);
    }
    String symbol = getString(b);
    long ts = b.getLong();
    EventKind kind = KINDS[b.get()];
    byte interval = b.get();
    double open = b.getDouble();
    double high = b.getDouble();
    double low = b.getDouble();
    double close = b.getDouble();
    long volume = b.getLong();
    String source = getString(b);
    String eventId = getString(b);
    return new SilverTick(
        symbol,
        ts,
        kind,
        interval < 0 ? null : INTERVALS[interval],
        open,
        high,
        low,
        close,
        volume,
        source,
        eventId,
        b.getLong(),
        b.getInt(),
        b.getLong());
  }

  /** Varint length, then UTF-8: ASCII copied char by char, anything else encoded by Java. */
  private static void putString(ByteBuffer b, String s) {
    int n = s.length();
    int lengthAt = b.position();
    putVarInt(b, n);
    byte[] a = b.array();
    int p = b.position();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        b.position(lengthAt);
        putVarInt(b, utf8.length);
        b.put(utf8);
        return;
      }
      a[p + i] = (byte) c;
    }
    b.position(p + n);
  }

  private static String getString(ByteBuffer b) {
    int length = getVarInt(b);
    String s = new String(b.array(), b.position(), length, StandardCharsets.UTF_8);
    b.position(b.position() + length);
    return s;
  }

  /** Beam's VarInt format (7 bits per byte, low first), into a buffer. */
  private static void putVarInt(ByteBuffer b, int value) {
    int v = value;
    while ((v & ~0x7F) != 0) {
      b.put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    b.put((byte) v);
  }

  private static int getVarInt(ByteBuffer b) {
    int result = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      byte x = b.get();
      result |= (x & 0x7F) << shift;
      if (x >= 0) {
        return result;
      }
    }
    throw new IllegalStateException("varint longer than 5 bytes in a SilverTick block");
  }

  @Override
  public void verifyDeterministic() {}
}
