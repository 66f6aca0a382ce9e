// dcc-sdk ships ESM with extensionless relative imports and loads it through the unmaintained `esm` package,
// which cannot parse its newer dependencies. This resolve hook adds ".js" so Node can load lib/main.js natively.
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (e) {
    if (e && e.code === 'ERR_MODULE_NOT_FOUND' && (specifier.startsWith('./') || specifier.startsWith('../'))) {
      return next(specifier + '.js', context);
    }
    throw e;
  }
}
