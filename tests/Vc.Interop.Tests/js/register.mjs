import { register } from 'node:module';
register('./extensionless-loader.mjs', import.meta.url);
