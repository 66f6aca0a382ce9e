// Hardhat Network, the second Ethereum implementation the ledger code is tested on (`hardhat node`, started by
// Vc.Did.Ledger.HardhatProcess). Same chain id as Anvil; the genesis date comes from the starter (its clock).
const initialDate = process.env.VCHEALTH_HARDHAT_INITIAL_DATE;
module.exports = {
  networks: {
    hardhat: {
      chainId: 31337,
      hardfork: 'cancun', // the contracts are compiled for cancun (tools/ledger/compile.mjs)
      ...(initialDate ? { initialDate } : {}),
    },
  },
};
