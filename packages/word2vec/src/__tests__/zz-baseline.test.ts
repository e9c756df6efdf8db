import { it } from 'vitest';
import { createHash } from 'node:crypto';
import { trainWord2Vec } from '../index';
import { plantedCorpus } from './planted';
it('baseline', async () => {
  const p = plantedCorpus(3);
  const out: string[] = [];
  for (const kernel of ['js', 'wasm'] as const) for (const model of ['skipgram', 'cbow'] as const) for (const hs of [false, true]) {
    const { embeddings } = await trainWord2Vec(p.corpus, { model, hs, negative: hs ? 0 : 5, dim: 16, epochs: 2, seed: 5, kernel });
    const v = new Float32Array(embeddings.size * 16); embeddings.labels.forEach((l, i) => v.set(embeddings.get(l)!, i * 16));
    out.push(`${kernel} ${model} ${hs} ${createHash('sha1').update(new Uint8Array(v.buffer)).digest('hex')}`);
  }
  console.log(out.join('\n'));
});
