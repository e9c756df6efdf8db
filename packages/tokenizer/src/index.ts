// @embedkit/tokenizer: under construction
