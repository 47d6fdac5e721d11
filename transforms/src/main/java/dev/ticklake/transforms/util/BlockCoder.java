package dev.ticklake.transforms.util;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * Wraps a coder so that each value crosses the runner's stream as one length-prefixed block: the
 * inner coder writes to a plain in-memory buffer, and the runner's stream gets one call. For large
 * values made of many small fields (a chunk of a thousand rows), where the runner's stream wrapper
 * costs a call per field (Flink's {@code DataOutputViewWrapper} into its serializer, once for the
 * network and once more for the sort buffer of a grouping). Same bytes inside the block as the
 * inner coder; deterministic when the inner coder is.
 *
 * @param <T> the value type
 */
public final class BlockCoder<T> extends CustomCoder<T> {
  private static final long serialVersionUID = 1L;
  private final Coder<T> inner;

  private BlockCoder(Coder<T> inner) {
    this.inner = inner;
  }

  public static <T> BlockCoder<T> of(Coder<T> inner) {
    return new BlockCoder<>(inner);
  }

  /**
   * A list as one block: its size, then each element with {@code element}, written straight to the
   * block's buffer (Beam's {@code ListCoder} wraps the stream in a synchronised {@code
   * DataOutputStream} for every list).
   */
  public static <T> BlockCoder<List<T>> ofList(Coder<T> element) {
    return new BlockCoder<>(new ElementsCoder<>(element));
  }

  @Override
  public void encode(T value, OutputStream out) throws IOException {
    Sink buffer = new Sink();
    inner.encode(value, buffer);
    VarIntCoder.of().encode(buffer.size, out);
    out.write(buffer.bytes, 0, buffer.size);
  }

  @Override
  public T decode(InputStream in) throws IOException {
    int length = VarIntCoder.of().decode(in);
    byte[] block = in.readNBytes(length);
    if (block.length != length) {
      throw new EOFException("block ends after " + block.length + " of " + length + " bytes");
    }
    Source source = new Source(block);
    T value = inner.decode(source);
    if (source.position != length) {
      throw new CoderException(
          "the inner coder " + inner + " read " + source.position + " of " + length + " bytes");
    }
    return value;
  }

  @Override
  public List<? extends Coder<?>> getCoderArguments() {
    return List.of(inner);
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    inner.verifyDeterministic();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlockCoder<?> other && inner.equals(other.inner);
  }

  @Override
  public int hashCode() {
    return inner.hashCode() * 31 + 7;
  }

  @Override
  public String toString() {
    return "BlockCoder(" + inner + ")";
  }

  /** A varint count, then the elements. */
  private static final class ElementsCoder<T> extends CustomCoder<List<T>> {
    private static final long serialVersionUID = 1L;
    private final Coder<T> element;

    ElementsCoder(Coder<T> element) {
      this.element = element;
    }

    @Override
    public void encode(List<T> values, OutputStream out) throws IOException {
      VarIntCoder.of().encode(values.size(), out);
      for (T value : values) {
        element.encode(value, out);
      }
    }

    @Override
    public List<T> decode(InputStream in) throws IOException {
      int size = VarIntCoder.of().decode(in);
      if (size < 0) {
        throw new CoderException("negative list size " + size);
      }
      List<T> values = new ArrayList<>(Math.min(size, 1 << 16));
      for (int i = 0; i < size; i++) {
        values.add(element.decode(in));
      }
      return values;
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of(element);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      element.verifyDeterministic();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ElementsCoder<?> other && element.equals(other.element);
    }

    @Override
    public int hashCode() {
      return element.hashCode() * 31 + 11;
    }

    @Override
    public String toString() {
      return "Elements(" + element + ")";
    }
  }

  /**
   * The stream an inner coder writes a block to: a growable byte array, not synchronised (unlike
   * {@code ByteArrayOutputStream}). A coder that builds its bytes itself can write them in place:
   * {@link #reserve} room, fill the array from {@link #size()} on, then {@link #advance}.
   */
  public static final class Sink extends OutputStream {
    private byte[] bytes = new byte[4096];
    private int size;

    private Sink() {}

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
   * The stream an inner coder reads a block from: a byte array, not synchronised (unlike {@code
   * ByteArrayInputStream}). A coder can read in place: {@link #array()} from {@link #position()}
   * on, then {@link #skip(long)} what it read.
   */
  public static final class Source extends InputStream {
    private final byte[] bytes;
    private int position;

    private Source(byte[] bytes) {
      this.bytes = bytes;
    }

    /** The whole block; read from {@link #position()}, at most {@link #available()} bytes. */
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
