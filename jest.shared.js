// Maps the @pavilion/* path aliases of tsconfig.json for Jest.
module.exports = {
  moduleNameMapper: { '^@pavilion/([a-z-]+)$': '<rootDir>/libs/$1/src' },
};
