package dev.ticklake.transforms.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

/** A block is the inner coder's bytes behind a length: lossless, deterministic, checked. */
class BlockCoderTest {
  private static final Coder<List<String>> CODER =
      BlockCoder.of(ListCoder.of(StringUtf8Coder.of()));

  @Test
  void roundTripsSmallEmptyAndLargeValuesInEveryContext() throws Exception {
    List<String> large = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      large.add("event-" + i + "-é");
    }
    for (List<String> value : List.of(List.<String>of(), List.of("a", "", "b"), large)) {
      CoderProperties.coderDecodeEncodeEqual(CODER, value);
      CoderProperties.coderDeterministic(CODER, value, new ArrayList<>(value));
    }
  }

  @Test
  void listsRoundTripAsOneBlock() throws Exception {
    Coder<List<String>> lists = BlockCoder.ofList(StringUtf8Coder.of());
    List<String> large = new ArrayList<>();
    for (int i = 0; i < 70_000; i++) {
      large.add(i % 3 == 0 ? "" : "v" + i);
    }
    for (List<String> value : List.of(List.<String>of(), List.of("a"), large)) {
      CoderProperties.coderDecodeEncodeEqual(lists, value);
      CoderProperties.coderDeterministic(lists, value, new ArrayList<>(value));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    lists.encode(List.of("x", "yz"), out);
    // block length 6: count 2, then "x" (1 + 1 bytes) and "yz" (1 + 2 bytes)
    assertThat(out.toByteArray()).containsExactly(6, 2, 1, 'x', 2, 'y', 'z');
  }

  @Test
  void theBlockHoldsExactlyTheInnerCodersBytes() throws Exception {
    Coder<Long> coder = BlockCoder.of(VarLongCoder.of());
    ByteArrayOutputStream inner = new ByteArrayOutputStream();
    VarLongCoder.of().encode(300L, inner);
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    coder.encode(300L, block);
    byte[] expected = new byte[1 + inner.size()];
    expected[0] = (byte) inner.size();
    System.arraycopy(inner.toByteArray(), 0, expected, 1, inner.size());
    assertThat(block.toByteArray()).isEqualTo(expected);
  }

  @Test
  void valuesFollowEachOtherAndATruncatedBlockFailsClearly() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CODER.encode(List.of("x", "y"), out);
    CODER.encode(List.of("z"), out);
    byte[] bytes = out.toByteArray();
    ByteArrayInputStream in = new ByteArrayInputStream(bytes);
    assertThat(CODER.decode(in)).containsExactly("x", "y");
    assertThat(CODER.decode(in)).containsExactly("z");

    byte[] cut = Arrays.copyOf(bytes, 4);
    assertThatThrownBy(() -> CODER.decode(new ByteArrayInputStream(cut)))
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("block ends after");
  }
}
