/**
 * The methods the harness knows. Each module registers itself; adding a trainer to the benchmarks
 * is a new module here, with no change to the runner, the measurements or the reports.
 */
import './embedkit-word2vec';
import './embedkit-cooccurrence';
import './embedkit-tfjs';
import './embedkit-item2vec';
import './gensim';
import './fasttext';
import './word2vec-c';
