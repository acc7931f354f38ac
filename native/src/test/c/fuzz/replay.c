/* Runs a fuzz target once over each file named on the command line, without libFuzzer: how the
 * build replays the seeds and the crashers that became regressions with gcc's sanitizers
 * (CDecoderFuzzRegressionTest). Exits 0 when every input ran; a finding aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "rb");
    if (f == NULL) {
      perror(argv[i]);
      return 2;
    }
    static uint8_t buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    uint8_t *copy = malloc(n ? n : 1); /* its own allocation, so ASan sees reads past the end */
    for (size_t k = 0; k < n; k++) {
      copy[k] = buf[k];
    }
    LLVMFuzzerTestOneInput(copy, n);
    free(copy);
    printf("ok %s\n", argv[i]);
  }
  return 0;
}
