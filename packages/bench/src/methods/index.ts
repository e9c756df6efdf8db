/**
 * The methods the harness knows. Each module registers itself; adding a trainer to the benchmarks
 * is a new module here, with no change to the runner, the measurements or the reports.
 *
 * In-process methods import their trainer inside `train()`, not at the top: each measured run is
 * a child process that registers every method, and it must load only the trainer it measures
 * (TensorFlow.js alone would add ~50 MB to every run's peak memory).
 */
import './embedkit-word2vec';
import './embedkit-cooccurrence';
import './embedkit-tfjs';
import './embedkit-item2vec';
import './gensim';
import './fasttext';
import './word2vec-c';
