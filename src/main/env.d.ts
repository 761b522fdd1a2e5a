// Build-time imports handled by electron-vite's node asset plugin (see electron-vite/node.d.ts).
declare module '*?asset' {
  const src: string;
  export default src;
}
