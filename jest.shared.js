// Shared by the unit and e2e Jest configs: the @pavilion/* path aliases of tsconfig.json, TypeScript through
// SWC, and the few ESM-only packages in node_modules compiled to CommonJS (Jest on Node 20 cannot require ESM).
const esmPackages = ['content-disposition', 'feed'];

module.exports = {
  moduleNameMapper: { '^@pavilion/([a-z-]+)$': '<rootDir>/libs/$1/src' },
  transform: {
    '^.+\\.ts$': '@swc/jest',
    '^.+\\.js$': [
      '@swc/jest',
      {
        swcrc: false,
        jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
};
