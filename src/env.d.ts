declare module 'virtual:storyline-seeds' {
  import type { Article } from './core/article';
  const seeds: Article[];
  export default seeds;
}
