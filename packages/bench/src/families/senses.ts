/**
 * The sense test: ambiguous words, each in two sentences of one sense (A) and one sentence of
 * another (B). Written for embedkit (no outside source); the words are common enough to be in a
 * model trained on the State of the Union addresses, and most sentences use that vocabulary.
 *
 * Protocol: the target word's vector in A1 is compared with its vectors in A2 and in B; the item
 * is right when cos(A1, A2) > cos(A1, B), wrong when it is smaller, and counts one half on a tie.
 * A static model gives the word one vector whatever the sentence, so every item ties: 50% exactly,
 * chance by construction.
 */

/** One ambiguous word in three sentences: two of sense A, one of sense B. */
export interface SenseItem {
  /** The ambiguous word, lower case, as it appears (a whole token) in each sentence. */
  readonly word: string;
  /** Two sentences using the word in the same sense. */
  readonly a: readonly [string, string];
  /** A sentence using the word in another sense. */
  readonly b: string;
}

export const SENSE_ITEMS: readonly SenseItem[] = [
  { word: 'bank', a: ['they camped on the bank of the river', 'the boat drifted toward the muddy bank'], b: 'the bank raised the interest on its loans' },
  { word: 'interest', a: ['the interest on the public debt has grown', 'we must pay the interest on these bonds'], b: 'the people have shown great interest in this question' },
  { word: 'party', a: ['the party won a majority in the senate', 'members of the opposing party voted against the bill'], b: 'they held a birthday party for the children' },
  { word: 'state', a: ['the state of texas sent troops to the border', 'each state shall choose its own electors'], b: 'the patient was in a state of shock' },
  { word: 'power', a: ['congress has the power to declare war', 'the president used his power to veto the measure'], b: 'the dam generates electric power for the city' },
  { word: 'bill', a: ['the senate passed the bill last week', 'i will sign this bill into law'], b: 'the waiter brought the bill after dinner' },
  { word: 'court', a: ['the supreme court ruled on the case', 'the court found the defendant guilty'], b: 'the players ran onto the tennis court' },
  { word: 'fire', a: ['the fire destroyed the wooden houses', 'the men fought the fire all night'], b: 'the owner threatened to fire the lazy workers' },
  { word: 'charge', a: ['he was arrested on a charge of fraud', 'the charge of treason was dropped'], b: 'the hotel made no charge for breakfast' },
  { word: 'capital', a: ['washington is the capital of the nation', 'the troops marched into the capital'], b: 'our industries need capital to build new factories' },
  { word: 'right', a: ['every citizen has the right to vote', 'freedom of speech is a basic right'], b: 'turn right at the next corner' },
  { word: 'order', a: ['the general gave the order to attack', 'the soldiers obeyed the order at once'], b: 'she placed an order for new books' },
  { word: 'fine', a: ['he paid a fine for breaking the law', 'the court imposed a heavy fine'], b: 'the weather was fine and sunny' },
  { word: 'plant', a: ['the steel plant employs thousands of workers', 'the company built a new power plant'], b: 'water the plant in the garden every day' },
  { word: 'press', a: ['the press reported the scandal', 'freedom of the press must be protected'], b: 'press the button to start the machine' },
  { word: 'post', a: ['he was appointed to a diplomatic post abroad', 'she resigned her post as ambassador'], b: 'the horse was tied to a wooden post' },
  { word: 'field', a: ['the farmer plowed the field in spring', 'cattle grazed in the green field'], b: 'she is a leading scholar in the field of medicine' },
  { word: 'office', a: ['he was elected to the highest office in the land', 'he took the oath of office in january'], b: 'she works in a small office downtown' },
  { word: 'cabinet', a: ['the president met with his cabinet', 'the cabinet advised him to sign the treaty'], b: 'the dishes are kept in the kitchen cabinet' },
  { word: 'seal', a: ['the seal swam near the rocks', 'a seal was resting on the ice'], b: 'the treaty bore the great seal of the united states' },
  { word: 'spring', a: ['flowers bloom in the spring', 'the farmers plant their crops every spring'], b: 'the water from the spring was cold and clear' },
  { word: 'match', a: ['the team won the football match', 'the tennis match lasted three hours'], b: 'he struck a match to light the candle' },
  { word: 'bar', a: ['they had a drink at the bar', 'the bar was crowded with sailors'], b: 'he was admitted to the bar and practiced law' },
  { word: 'table', a: ['dinner was served on the kitchen table', 'she put the book on the table'], b: 'the table shows the figures for each year' },
  { word: 'duty', a: ['it is our duty to defend the constitution', 'the soldier did his duty'], b: 'congress laid a duty on imported steel' },
  { word: 'note', a: ['she left a note on the door', 'he wrote a short note to his mother'], b: 'the singer held a high note' },
  { word: 'union', a: ['the union of the states must be preserved', 'the southern states left the union'], b: 'the union went on strike for higher wages' },
  { word: 'address', a: ['the president delivered his annual address to congress', 'in this address i will speak of the economy'], b: 'please write your home address on the form' },
  { word: 'service', a: ['he gave long years of service in the navy', 'military service was required of young men'], b: 'the church held a service on sunday morning' },
  { word: 'ruler', a: ['the ruler of the empire was a tyrant', 'the king was a wise ruler'], b: 'draw a straight line with a ruler' },
  { word: 'current', a: ['the current swept the swimmer out to sea', 'the river current was strong'], b: 'the current administration has cut taxes' },
  { word: 'race', a: ['she won the race by a few seconds', 'the horse race drew a large crowd'], b: 'discrimination on account of race is forbidden' },
  { word: 'mine', a: ['the coal mine employed many miners', 'the workers were trapped in the mine'], b: 'that book on the shelf is mine' },
  { word: 'lead', a: ['the old pipes were made of lead', 'lead in the water harms children'], b: 'we must lead the world toward peace' },
  { word: 'present', a: ['she gave him a present for his birthday', 'the children opened every present'], b: 'at present the economy is growing' },
  { word: 'arms', a: ['the nation sold arms to its allies', 'the treaty limits nuclear arms'], b: 'she held the baby in her arms' },
  { word: 'account', a: ['she opened a savings account at the bank', 'the money was paid into his account'], b: 'he gave a full account of the battle' },
  { word: 'light', a: ['the light of the lamp filled the room', 'sunlight is the light of day'], b: 'the box was light enough to carry' },
  { word: 'wave', a: ['a huge wave crashed on the beach', 'the surfer rode the wave to shore'], b: 'she gave a friendly wave to the crowd' },
  { word: 'trust', a: ['the oil trust controlled the whole industry', 'congress moved to break up the trust'], b: 'the people must trust their government' },
  { word: 'tender', a: ['paper money became legal tender', 'gold was the only legal tender'], b: 'the meat was tender and juicy' },
  { word: 'ground', a: ['the seeds were planted in the ground', 'the ground was frozen all winter'], b: 'the court dismissed the case on the ground that it lacked evidence' },
  { word: 'stock', a: ['the stock market crashed in october', 'investors sold their stock in the railroad'], b: 'the cook made a soup stock from bones' },
  { word: 'measure', a: ['congress passed a measure to cut taxes', 'the measure was approved by the senate'], b: 'we measure the length of the board in inches' },
  { word: 'house', a: ['the house passed the spending bill', 'members of the house voted against it'], b: 'they bought a small house in the country' },
  { word: 'chair', a: ['he sat down on a wooden chair', 'the old chair had three legs'], b: 'she is the chair of the committee' },
  { word: 'sentence', a: ['the judge handed down a prison sentence', 'he served a long sentence for robbery'], b: 'this sentence has only five words' },
  { word: 'letter', a: ['i received a letter from my friend', 'he mailed the letter yesterday'], b: 'the word begins with the letter a' },
];
