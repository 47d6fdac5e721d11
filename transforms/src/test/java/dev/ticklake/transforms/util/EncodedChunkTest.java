package dev.ticklake.transforms.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

/** A chunk is its elements' own bytes behind a count and a length: lossless, deterministic. */
class EncodedChunkTest {

  private static <T> EncodedChunk chunk(org.apache.beam.sdk.coders.Coder<T> coder, List<T> values)
      throws Exception {
    EncodedChunk.Builder<T> builder = EncodedChunk.builder(coder);
    for (T v : values) {
      builder.add(v);
    }
    return builder.build();
  }

  @Test
  void elementsRoundTripThroughTheChunkAndItsCoder() throws Exception {
    List<String> large = new ArrayList<>();
    for (int i = 0; i < 70_000; i++) {
      large.add(i % 3 == 0 ? "" : "v" + i + "-é");
    }
    for (List<String> values : List.of(List.<String>of(), List.of("a", "", "b"), large)) {
      EncodedChunk chunk = chunk(StringUtf8Coder.of(), values);
      assertThat(chunk.count()).isEqualTo(values.size());
      CoderProperties.coderDecodeEncodeEqual(EncodedChunk.CODER, chunk);
      CoderProperties.coderDeterministic(
          EncodedChunk.CODER, chunk, chunk(StringUtf8Coder.of(), new ArrayList<>(values)));
      assertThat(chunk.decode(StringUtf8Coder.of())).isEqualTo(values);
    }
  }

  @Test
  void theWireFormatIsCountLengthThenTheElementsBytes() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EncodedChunk.CODER.encode(chunk(StringUtf8Coder.of(), List.of("x", "yz")), out);
    // count 2, length 5, then "x" (1 + 1 bytes) and "yz" (1 + 2 bytes) as StringUtf8Coder writes
    // them inside a longer stream
    assertThat(out.toByteArray()).containsExactly(2, 5, 1, 'x', 2, 'y', 'z');
  }

  @Test
  void theBuilderStartsAfreshAfterEachChunkAndReusesItsBuffer() throws Exception {
    EncodedChunk.Builder<Long> builder = EncodedChunk.builder(VarLongCoder.of());
    for (long i = 0; i < 5_000; i++) {
      builder.add(i * 1_000_003L);
    }
    EncodedChunk first = builder.build();
    assertThat(builder.count()).isZero();
    builder.add(7L);
    EncodedChunk second = builder.build();
    assertThat(first.decode(VarLongCoder.of())).hasSize(5_000).startsWith(0L, 1_000_003L);
    assertThat(second.decode(VarLongCoder.of())).containsExactly(7L);
    assertThat(builder.build().count()).isZero();
  }

  @Test
  void chunksFollowEachOtherAndDamagedOnesFailClearly() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EncodedChunk.CODER.encode(chunk(StringUtf8Coder.of(), List.of("x", "y")), out);
    EncodedChunk.CODER.encode(chunk(StringUtf8Coder.of(), List.of("z")), out);
    byte[] bytes = out.toByteArray();
    ByteArrayInputStream in = new ByteArrayInputStream(bytes);
    assertThat(EncodedChunk.CODER.decode(in).decode(StringUtf8Coder.of()))
        .containsExactly("x", "y");
    assertThat(EncodedChunk.CODER.decode(in).decode(StringUtf8Coder.of())).containsExactly("z");

    byte[] cut = Arrays.copyOf(bytes, 4);
    assertThatThrownBy(() -> EncodedChunk.CODER.decode(new ByteArrayInputStream(cut)))
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("chunk ends after 2 of 4 bytes");

    EncodedChunk longs = chunk(VarLongCoder.of(), List.of(1L, 2L));
    // Read with another coder: bytes left over, or too few elements.
    assertThatThrownBy(() -> chunk(StringUtf8Coder.of(), List.of("abc")).decode(VarLongCoder.of()))
        .isInstanceOf(CoderException.class)
        .hasMessageContaining("bytes left after them");
    assertThat(longs.decode(VarLongCoder.of())).containsExactly(1L, 2L);
  }
}
