package dev.ticklake.transforms.gold;

import dev.ticklake.transforms.gold.SilverEvent.Feed;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * Codes a chunk of {@link SilverEvent}s (Gold's shuffle element: up to a thousand events of one
 * symbol and date) as one length-prefixed block: symbols and sources once per chunk in a small
 * dictionary, numbers in fixed width. Written and read with one stream call each, because the
 * runners' stream wrappers (Flink's {@code DataOutputViewWrapper}) cost a call per field otherwise,
 * and that was a fifth of Gold's full-day build. Deterministic: equal chunks give equal bytes.
 */
public final class EventChunkCoder extends AtomicCoder<List<SilverEvent>> {
  private static final long serialVersionUID = 1L;
  private static final EventChunkCoder INSTANCE = new EventChunkCoder();
  private static final Feed[] FEEDS = Feed.values();

  /** ts, trade date, feed, open, high, low, close, volume, symbol and source indexes. */
  private static final int FIXED_BYTES_PER_EVENT = 8 + 4 + 1 + 4 * 8 + 8 + 2 + 2;

  public static EventChunkCoder of() {
    return INSTANCE;
  }

  private EventChunkCoder() {}

  @Override
  public void encode(List<SilverEvent> chunk, OutputStream out) throws IOException {
    int n = chunk.size();
    Dictionary dictionary = new Dictionary();
    Dictionary.Column symbols = dictionary.column();
    Dictionary.Column sources = dictionary.column();
    short[] symbolIndexes = new short[n];
    short[] sourceIndexes = new short[n];
    byte[][] eventIds = new byte[n][];
    int eventIdBytes = 0;
    for (int i = 0; i < n; i++) {
      SilverEvent e = chunk.get(i);
      symbolIndexes[i] = symbols.indexOf(e.symbol());
      sourceIndexes[i] = sources.indexOf(e.source());
      eventIds[i] = e.eventId().getBytes(StandardCharsets.UTF_8);
      eventIdBytes += 4 + eventIds[i].length;
    }
    byte[][] words = new byte[dictionary.words.size()][];
    int dictionaryBytes = 4;
    for (int i = 0; i < words.length; i++) {
      words[i] = dictionary.words.get(i).getBytes(StandardCharsets.UTF_8);
      dictionaryBytes += 4 + words[i].length;
    }
    ByteBuffer block =
        ByteBuffer.allocate(4 + dictionaryBytes + n * FIXED_BYTES_PER_EVENT + eventIdBytes);
    block.putInt(n).putInt(words.length);
    for (byte[] word : words) {
      block.putInt(word.length).put(word);
    }
    for (int i = 0; i < n; i++) {
      SilverEvent e = chunk.get(i);
      block
          .putLong(e.tsMicros())
          .putInt(e.tradeDate())
          .put((byte) e.feed().ordinal())
          .putDouble(e.open())
          .putDouble(e.high())
          .putDouble(e.low())
          .putDouble(e.close())
          .putLong(e.volume())
          .putShort(symbolIndexes[i])
          .putShort(sourceIndexes[i])
          .putInt(eventIds[i].length)
          .put(eventIds[i]);
    }
    VarIntCoder.of().encode(block.position(), out);
    out.write(block.array(), 0, block.position());
  }

  /** A chunk's distinct strings (symbols and sources together), in first-seen order. */
  private static final class Dictionary {
    final List<String> words = new ArrayList<>();
    private final Map<String, Short> indexes = new HashMap<>();

    Column column() {
      return new Column();
    }

    /**
     * One field's lookups: a chunk is one symbol and date, mostly one source, so a repeat of the
     * field's last string skips the map.
     */
    final class Column {
      private String last;
      private short lastIndex;

      short indexOf(String s) throws CoderException {
        if (!s.equals(last)) {
          Short index = indexes.get(s);
          if (index == null) {
            if (words.size() == Short.MAX_VALUE) {
              throw new CoderException(
                  "EventChunkCoder: more than 32767 distinct symbols and sources");
            }
            index = (short) words.size();
            indexes.put(s, index);
            words.add(s);
          }
          last = s;
          lastIndex = index;
        }
        return lastIndex;
      }
    }
  }

  @Override
  public List<SilverEvent> decode(InputStream in) throws IOException {
    int length = VarIntCoder.of().decode(in);
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new CoderException("EventChunkCoder: block truncated at " + bytes.length + " bytes");
    }
    ByteBuffer block = ByteBuffer.wrap(bytes);
    int size = block.getInt();
    String[] words = new String[block.getInt()];
    for (int i = 0; i < words.length; i++) {
      words[i] = string(block);
    }
    SilverEvent[] chunk = new SilverEvent[size];
    for (int i = 0; i < size; i++) {
      long ts = block.getLong();
      int tradeDate = block.getInt();
      Feed feed = FEEDS[block.get()];
      double open = block.getDouble();
      double high = block.getDouble();
      double low = block.getDouble();
      double close = block.getDouble();
      long volume = block.getLong();
      String symbol = words[block.getShort()];
      String source = words[block.getShort()];
      chunk[i] =
          new SilverEvent(
              symbol, ts, tradeDate, feed, open, high, low, close, volume, source, string(block));
    }
    return new ArrayList<>(Arrays.asList(chunk));
  }

  private static String string(ByteBuffer block) {
    int length = block.getInt();
    String s = new String(block.array(), block.position(), length, StandardCharsets.UTF_8);
    block.position(block.position() + length);
    return s;
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
