package dev.ticklake.transforms.util;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

/**
 * Elements already encoded with their coder, back to back in one byte array: a shuffle value that
 * the runner moves, sorts and spills as bytes.
 *
 * <p>Why: a runner handles a shuffle value with its coder every time it copies it. Flink's batch
 * shuffle encodes a value for the network, decodes it in the receiving sorter, encodes it again
 * into the sort buffer and decodes it once more for the reducer; with a list of a thousand rows
 * each of those is a thousand rows' work. An encoded chunk is copied instead, and its rows are
 * encoded once (by {@link Builder#add}, while they are still in the CPU's cache, into a buffer the
 * builder reuses) and decoded once (by {@link #decode}). A worker that collects rows per key also
 * holds bytes instead of objects, which the garbage collector does not have to trace or promote.
 *
 * <p>Wire format ({@link #CODER}, deterministic): varint element count, varint byte length, the
 * bytes. The elements inside keep their coder's bytes, so equal elements give equal chunks.
 */
public final class EncodedChunk {
  /** The chunk's coder. */
  public static final Coder<EncodedChunk> CODER = new ChunkCoder();

  private final int count;
  private final byte[] bytes;

  private EncodedChunk(int count, byte[] bytes) {
    this.count = count;
    this.bytes = bytes;
  }

  /** How many elements the chunk holds. */
  public int count() {
    return count;
  }

  /**
   * The elements, decoded with {@code element} (the coder they were added with).
   *
   * @throws CoderException if the bytes do not hold exactly {@link #count()} such elements
   */
  public <T> List<T> decode(Coder<T> element) throws IOException {
    Source source = new Source(bytes);
    List<T> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      values.add(element.decode(source));
    }
    if (source.available() != 0) {
      throw new CoderException(
          "chunk of "
              + count
              + " elements has "
              + source.available()
              + " bytes left after them: not written with "
              + element);
    }
    return values;
  }

  /** A builder that encodes elements with {@code element} as they are added. */
  public static <T> Builder<T> builder(Coder<T> element) {
    return new Builder<>(element);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncodedChunk c && count == c.count && Arrays.equals(bytes, c.bytes);
  }

  @Override
  public int hashCode() {
    return 31 * count + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "EncodedChunk(" + count + " elements, " + bytes.length + " bytes)";
  }

  /**
   * Encodes elements into one buffer and hands them out as chunks; the buffer is kept for the next
   * chunk. Not thread-safe.
   */
  public static final class Builder<T> {
    private final Coder<T> element;
    private final Sink sink = new Sink();
    private int count;

    private Builder(Coder<T> element) {
      this.element = Objects.requireNonNull(element, "element");
    }

    /** Encodes {@code value} into the chunk being built. */
    public void add(T value) throws IOException {
      element.encode(value, sink);
      count++;
    }

    /** Elements added since the last {@link #build}. */
    public int count() {
      return count;
    }

    /** The elements added since the last call, as a chunk; the builder starts a new one. */
    public EncodedChunk build() {
      EncodedChunk chunk = new EncodedChunk(count, Arrays.copyOf(sink.bytes, sink.size));
      sink.size = 0;
      count = 0;
      return chunk;
    }
  }

  private static final class ChunkCoder extends AtomicCoder<EncodedChunk> {
    private static final long serialVersionUID = 1L;

    @Override
    public void encode(EncodedChunk chunk, OutputStream out) throws IOException {
      VarInt.encode(chunk.count, out);
      VarInt.encode(chunk.bytes.length, out);
      out.write(chunk.bytes);
    }

    @Override
    public EncodedChunk decode(InputStream in) throws IOException {
      int count = VarInt.decodeInt(in);
      int length = VarInt.decodeInt(in);
      if (count < 0 || length < 0) {
        throw new CoderException("chunk with " + count + " elements in " + length + " bytes");
      }
      byte[] bytes = in.readNBytes(length);
      if (bytes.length != length) {
        throw new EOFException("chunk ends after " + bytes.length + " of " + length + " bytes");
      }
      return new EncodedChunk(count, bytes);
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }

  /**
   * The stream a chunk's elements are encoded to: a growable byte array, not synchronised (unlike
   * {@code ByteArrayOutputStream}). A coder that builds its bytes itself can write them in place:
   * {@link #reserve} room, fill the array from {@link #size()} on, then {@link #advance}.
   */
  public static final class Sink extends OutputStream {
    private byte[] bytes = new byte[4096];
    private int size;

    Sink() {}

    /**
     * Makes room for {@code more} bytes after {@link #size()}; returns the (possibly new) array.
     */
    public byte[] reserve(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
      return bytes;
    }

    /** Bytes written so far: where the next byte goes. */
    public int size() {
      return size;
    }

    /** Counts {@code n} bytes written in place after {@link #reserve}. */
    public void advance(int n) {
      if (n < 0 || size + n > bytes.length) {
        throw new IllegalArgumentException(
            "cannot advance by " + n + " bytes: " + size + " of " + bytes.length + " used");
      }
      size += n;
    }

    @Override
    public void write(int b) {
      reserve(1);
      bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      reserve(len);
      System.arraycopy(b, off, bytes, size, len);
      size += len;
    }
  }

  /**
   * The stream a chunk's elements are decoded from: a byte array, not synchronised (unlike {@code
   * ByteArrayInputStream}). A coder can read in place: {@link #array()} from {@link #position()}
   * on, then {@link #skip(long)} what it read.
   */
  public static final class Source extends InputStream {
    private final byte[] bytes;
    private int position;

    Source(byte[] bytes) {
      this.bytes = bytes;
    }

    /** The whole chunk; read from {@link #position()}, at most {@link #available()} bytes. */
    public byte[] array() {
      return bytes;
    }

    public int position() {
      return position;
    }

    @Override
    public int read() {
      return position < bytes.length ? bytes[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      int n = Math.min(len, bytes.length - position);
      if (n <= 0) {
        return -1;
      }
      System.arraycopy(bytes, position, b, off, n);
      position += n;
      return n;
    }

    @Override
    public long skip(long n) {
      int skipped = (int) Math.max(0, Math.min(n, bytes.length - position));
      position += skipped;
      return skipped;
    }

    @Override
    public int available() {
      return bytes.length - position;
    }
  }
}
