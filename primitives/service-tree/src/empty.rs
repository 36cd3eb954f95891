//! Roots of empty subtrees, `EMPTY_SUBTREE[l] = E_l` for l = 0..=64 (`E_0 = 0`,
//! `E_{l+1} = node_hash(E_l, E_l)`). Generated; `tests` recompute them with the Poseidon2 code and
//! `tests/noir_vectors.json` has the values Noir computed.

use crate::{digest::Digest, DEPTH};

/// `E_0 ..= E_DEPTH`.
pub(crate) const EMPTY_SUBTREE: [Digest; DEPTH + 1] = [
	Digest::from_const_hex("0000000000000000000000000000000000000000000000000000000000000000"),
	Digest::from_const_hex("0b63a53787021a4a962a452c2921b3663aff1ffd8d5510540f8e659e782956f1"),
	Digest::from_const_hex("0e34ac2c09f45a503d2908bcb12f1cbae5fa4065759c88d501c097506a8b2290"),
	Digest::from_const_hex("21f9172d72fdcdafc312eee05cf5092980dda821da5b760a9fb8dbdf607c8a20"),
	Digest::from_const_hex("2373ea368857ec7af97e7b470d705848e2bf93ed7bef142a490f2119bcf82d8e"),
	Digest::from_const_hex("120157cfaaa49ce3da30f8b47879114977c24b266d58b0ac18b325d878aafddf"),
	Digest::from_const_hex("01c28fe1059ae0237b72334700697bdf465e03df03986fe05200cadeda66bd76"),
	Digest::from_const_hex("2d78ed82f93b61ba718b17c2dfe5b52375b4d37cbbed6f1fc98b47614b0cf21b"),
	Digest::from_const_hex("067243231eddf4222f3911defbba7705aff06ed45960b27f6f91319196ef97e1"),
	Digest::from_const_hex("1849b85f3c693693e732dfc4577217acc18295193bede09ce8b97ad910310972"),
	Digest::from_const_hex("2a775ea761d20435b31fa2c33ff07663e24542ffb9e7b293dfce3042eb104686"),
	Digest::from_const_hex("0f320b0703439a8114f81593de99cd0b8f3b9bf854601abb5b2ea0e8a3dda4a7"),
	Digest::from_const_hex("0d07f6e7a8a0e9199d6d92801fff867002ff5b4808962f9da2ba5ce1bdd26a73"),
	Digest::from_const_hex("1c4954081e324939350febc2b918a293ebcdaead01be95ec02fcbe8d2c1635d1"),
	Digest::from_const_hex("0197f2171ef99c2d053ee1fb5ff5ab288d56b9b41b4716c9214a4d97facc4c4a"),
	Digest::from_const_hex("2b9cdd484c5ba1e4d6efcc3f18734b5ac4c4a0b9102e2aeb48521a661d3feee9"),
	Digest::from_const_hex("14f44d672eb357739e42463497f9fdac46623af863eea4d947ca00a497dcdeb3"),
	Digest::from_const_hex("071d7627ae3b2eabda8a810227bf04206370ac78dbf6c372380182dbd3711fe3"),
	Digest::from_const_hex("2fdc08d9fe075ac58cb8c00f98697861a13b3ab6f9d41a4e768f75e477475bf5"),
	Digest::from_const_hex("20165fe405652104dceaeeca92950aa5adc571b8cafe192878cba58ff1be49c5"),
	Digest::from_const_hex("1c8c3ca0b3a3d75850fcd4dc7bf1e3445cd0cfff3ca510630fd90b47e8a24755"),
	Digest::from_const_hex("1f0c1a8fb16b0d2ac9a146d7ae20d8d179695a92a79ed66fc45d9da4532459b3"),
	Digest::from_const_hex("038146ec5a2573e1c30d2fb32c66c8440f426fbd108082df41c7bebd1d521c30"),
	Digest::from_const_hex("17d3d12b17fe762de4b835b2180b012e808816a7f2ff69ecb9d65188235d8fd4"),
	Digest::from_const_hex("0e1a6b7d63a6e5a9e54e8f391dd4e9d49cdfedcbc87f02cd34d4641d2eb30491"),
	Digest::from_const_hex("09244eec34977ff795fc41036996ce974136377f521ac8eb9e04642d204783d2"),
	Digest::from_const_hex("1646d6f544ec36df9dc41f778a7ef1690a53c730b501471b6acd202194a7e8e9"),
	Digest::from_const_hex("064769603ba3f6c41f664d266ecb9a3a0f6567cd3e48b40f34d4894ee4c361b3"),
	Digest::from_const_hex("1595bb3cd19f84619dc2e368175a88d8627a7439eda9397202cdb1167531fd3f"),
	Digest::from_const_hex("2a529be462b81ca30265b558763b1498289c9d88277ab14f0838cb1fce4b472c"),
	Digest::from_const_hex("0c08da612363088ad0bbc78abd233e8ace4c05a56fdabdd5e5e9b05e428bdaee"),
	Digest::from_const_hex("14748d0241710ef47f54b931ac5a58082b1d56b0f0c30d55fb71a6e8c9a6be14"),
	Digest::from_const_hex("0b59baa35b9dc267744f0ccb4e3b0255c1fc512460d91130c6bc19fb2668568d"),
	Digest::from_const_hex("2c45bb0c3d5bc1dc98e0baef09ff46d18c1a451e724f41c2b675549bb5c80e59"),
	Digest::from_const_hex("121468e6710bf1ffec6d0f26743afe6f88ef55dab40b83ca0a39bc44b196374c"),
	Digest::from_const_hex("2042c32c823a7440ceb6c342f9125f1fe426b02c527cd8fb28c85d02b705e759"),
	Digest::from_const_hex("0d582c10ff8115413aa5b70564fdd2f3cefe1f33a1e43a47bc495081e91e73e5"),
	Digest::from_const_hex("0f55a0d491a9da093eb999fa0dffaf904620cbc78d07e63c6f795c5c7512b523"),
	Digest::from_const_hex("21849764e1aa64b83a69e39d27eedaec2a8f97066e5ddb74634ffdb11388dd9a"),
	Digest::from_const_hex("2e33ee2008411c04b99c24b313513d097a0d21a5040b6193d1f978b8226892d6"),
	Digest::from_const_hex("1fd848aa69e1633722fe249a5b7f53b094f1c9cef9f5c694b073fd1cc5850dfb"),
	Digest::from_const_hex("1a180441acbe2e25177de322888800476d75191e3c2c753300dedf84de7d2053"),
	Digest::from_const_hex("2ac5dda169f6bb3b9ca09bbac34e14c94d1654597db740153a1288d859a8a30a"),
	Digest::from_const_hex("2de9cf8ca22a0c9f7ac822564e7e90726457ffdee6107772e7461aa6dacf876d"),
	Digest::from_const_hex("15e4cf322bd4693b5ba17d7d77599ed6b40e943b15d4b652dcd1b206f57a4c6e"),
	Digest::from_const_hex("02f79c24831208eb014af76127ee58b95cf9598ad1dad9c82e19f10b7fee8f6f"),
	Digest::from_const_hex("19d4d18c572a9b0b503094e1de87b8594e1d37dd1da42acdb3a19bd35f005a3a"),
	Digest::from_const_hex("24d3e3c36e11f6dac11d08927f0a925e2c4c42248a913c18da9f5cc0da73836a"),
	Digest::from_const_hex("131b0345b2f2564b2338810cd8d7b90a8d5a2fcc1a9a8876a494dbe3c8135c6c"),
	Digest::from_const_hex("0e765e363b659fafffce80bef02723bbbea3669cc9b07f327b4fc9c959c169a5"),
	Digest::from_const_hex("0f2d774b6dc7c8c6c49e2056f9f9e77d510637ff52368027fd8326821c83445a"),
	Digest::from_const_hex("16599e0bb19201fa33d4c00c3f7c5189552a26038ee219b1c8b08fd1b16ecd52"),
	Digest::from_const_hex("22f62d7c8204be97acc7644d4b14a422c17e573506e900a4788acbfb8c8b1aba"),
	Digest::from_const_hex("0691a1f6e7dd363914d2754f434659383019fe2a1d10a9ce92d152decccfc5f5"),
	Digest::from_const_hex("1250a6bd4582016e8af7d74a31a7d181864326e50cea97f643b70ec9d94e1efc"),
	Digest::from_const_hex("02d2011d328f63f5cb9eb68a6806f8ce624ceb84a876a390fda61d6d6bb5a530"),
	Digest::from_const_hex("1b593cc9332c0bb29333e5833284e18e765bb17fc0a7718f6b21d8a833a0765b"),
	Digest::from_const_hex("019bffd7d85c0863485890e50a717ebb21d4b888f0268d9c7258a3db25f969d9"),
	Digest::from_const_hex("12340d5bb49b5667c9194321fc364488d0f082a8fb1bc4f1b96359209b1bf110"),
	Digest::from_const_hex("2209d88df4bf41b2e002ff46f8ac45aa4ec8b222f4551c178fe50f99b505681f"),
	Digest::from_const_hex("04f95f7efd61e5dfab009860f0e53b7e65686c5dbb1b1a800d597ec130836f92"),
	Digest::from_const_hex("074b0f589c0d62b3ee0d70fd057f9d0e143a6b888d0a9f60ac1d0f1c77ddf863"),
	Digest::from_const_hex("05e7d0fbf97820e4f7e37899bee6f967bc67f5b396f760665eb5ce76f51cff90"),
	Digest::from_const_hex("0ee294cdea89cdfb6a3fd3f85316222c2e6e7482b9cd052cea388141037acdb5"),
	Digest::from_const_hex("073f3f1b95b5cafa069fe1bb5e08c8586775783cc6a11c35ab0107dbd0437dd6"),
];

#[cfg(test)]
mod tests {
	use super::*;
	use crate::tree::node_hash;

	#[test]
	fn table_matches_the_node_hash() {
		let mut e = Digest::ZERO;
		for expected in EMPTY_SUBTREE.iter() {
			assert_eq!(*expected, e);
			assert!(Digest::from_bytes(expected.to_bytes()).is_ok(), "canonical");
			e = node_hash(&e, &e);
		}
	}
}
