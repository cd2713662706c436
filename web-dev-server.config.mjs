// `npm start`: serves the project root so the demo loads dist/ and its bundled models as a user would.
export default {
  rootDir: '.',
  port: Number(process.env.PORT ?? 8000),
  hostname: '127.0.0.1',
  middleware: [
    (ctx, next) => {
      if (ctx.path === '/') return ctx.redirect('/demo/');
      return next();
    },
  ],
};
