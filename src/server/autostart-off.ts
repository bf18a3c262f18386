/**
 * Imported by ./entry.ts before @astrojs/node's server module, which starts a server as soon as it loads unless
 * ASTRO_NODE_AUTOSTART is "disabled". The entry starts it itself, so that it holds the http.Server it needs for a
 * graceful shutdown. Whoever disabled autostart on purpose (to mount the handler elsewhere) keeps it disabled.
 */
export const autostart = process.env.ASTRO_NODE_AUTOSTART !== 'disabled';
process.env.ASTRO_NODE_AUTOSTART = 'disabled';
