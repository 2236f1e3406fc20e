/**
 * Stopword lists per language. Row 35 of RELIABILITY.md: a headline query that keeps these words
 * matches nearly every document and costs 30-200x in search latency. English is the fullest list;
 * the others cover articles, pronouns and the commonest function words.
 */
const EN = `a about above after again against all also am an and any are aren't as at be because been before
being below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during
each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself
him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself just let's may me might more
most mustn't my myself no nor not now of off on once only or other ought our ours ourselves out over own same
shan't she she'd she'll she's should shouldn't so some such than that that's the their theirs them themselves then
there there's these they they'd they'll they're they've this those through to too under until up upon us very was
wasn't we we'd we'll we're we've were weren't what what's when when's where where's which while who who's whom why
why's will with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves via vs amid says
said say get gets got new one two could like still yet`;
const FR = `au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me même mes moi mon
ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l
à m n s t y été être avoir est sont a ont fait plus cette comme après`;
const DE = `aber alle als am an auch auf aus bei bin bis bist da dadurch daher darum das dass dein deine dem den der
des dessen die dies dieser dieses doch dort du durch ein eine einem einen einer eines er es euer eure für hatte
hatten hattest hattet hier hinter ich ihr ihre im in ist ja jede jedem jeden jeder jedes jener jenes jetzt kann
kannst können könnt machen mein meine mit muß mußt musst müssen müßt nach nachdem nein nicht nun oder seid sein
seine sich sie sind soll sollen sollst sollt sonst soweit sowie und unser unsere unter vom von vor wann warum was
weiter weitere wenn wer werde werden werdet weshalb wie wieder wieso wir wird wirst wo woher wohin zu zum zur über`;
const ES = `a al algo como con de del desde donde el ella ellas ellos en entre era es esta este esto estos fue ha
han hay la las le les lo los mas más me mi muy no nos o para pero por que qué se sin sobre su sus también te tu
un una uno unos y ya ser son está están tras`;
const IT = `a ad al alla alle anche che chi ci come con da dal dalla de dei del della delle di e ed gli ha hanno i
il in la le lo ma mi ne nei nel nella non o per più se si sono su sua suo sue suoi tra un una uno è`;
const CS = `a aby ale ani ano asi až bez bude budou by byl byla byli bylo být co či další do ho i jak jako je
jeho její jejich jen ještě již jsem jsme jsou k kde kdy když ke která které který mezi mi mu na nad ne nebo není
o od po pod pro proti před při s se si so tak také tam to tu u už v ve však z za ze že`;

function toSet(list: string): ReadonlySet<string> {
  return new Set(list.split(/\s+/).filter(Boolean));
}

export const STOPWORDS: Readonly<Record<string, ReadonlySet<string>>> = {
  en: toSet(EN),
  fr: toSet(FR),
  de: toSet(DE),
  es: toSet(ES),
  it: toSet(IT),
  cs: toSet(CS),
};
