//! The proof registry: circuits and the verification of service-response proofs.

use crate::{pallet::*, types::*, LOG_TARGET};
use polkadot_sdk::frame_support::pallet_prelude::*;

impl<T: Config> Pallet<T> {
	/// `retire_circuit`: its proofs are no longer accepted.
	pub(crate) fn do_retire_circuit(
		circuit: CircuitId,
		flavour: zk_verifier::Flavour,
	) -> DispatchResult {
		Circuits::<T>::try_mutate((circuit, flavour), |entry| {
			let entry = entry.as_mut().ok_or(Error::<T>::NoSuchCircuit)?;
			ensure!(
				entry.status == CircuitStatus::Active,
				Error::<T>::RetiredCircuit
			);
			entry.status = CircuitStatus::Retired;
			Ok::<(), DispatchError>(())
		})?;
		Self::deposit_event(Event::CircuitRetired { circuit, flavour });
		Ok(())
	}

	/// `remove_circuit`: deletes a retired circuit, freeing its place under `MaxCircuits`.
	pub(crate) fn do_remove_circuit(
		circuit: CircuitId,
		flavour: zk_verifier::Flavour,
	) -> DispatchResult {
		let entry = Circuits::<T>::get((circuit, flavour)).ok_or(Error::<T>::NoSuchCircuit)?;
		ensure!(
			entry.status == CircuitStatus::Retired,
			Error::<T>::CircuitActive
		);
		Circuits::<T>::remove((circuit, flavour));
		Self::deposit_event(Event::CircuitRemoved { circuit, flavour });
		Ok(())
	}

	/// `submit_proof`: the circuit is active, the statement well formed, a worker attests the
	/// statement's services root, and the proof verifies.
	pub(crate) fn do_submit_proof(
		circuit: CircuitId,
		flavour: zk_verifier::Flavour,
		proof: &[u8],
		public_inputs: &[[u8; 32]],
	) -> DispatchResult {
		let entry = Circuits::<T>::get((circuit, flavour)).ok_or(Error::<T>::NoSuchCircuit)?;
		ensure!(
			entry.status == CircuitStatus::Active,
			Error::<T>::RetiredCircuit
		);
		let statement = zk_verifier::ServiceResponseStatement::from_public_inputs(public_inputs)
			.map_err(|_| Error::<T>::BadStatement)?;
		let now = Self::now_secs();
		let mut workers = RootWorkers::<T>::get(statement.services_root);
		workers.retain(|w| {
			Workers::<T>::get(w).is_some_and(|info| {
				info.status != WorkerStatus::Lapsed
					&& info.expires_at > now
					&& info.services_root == statement.services_root
			})
		});
		ensure!(!workers.is_empty(), Error::<T>::RootNotAttested);
		Self::verify_proof(&entry, flavour, proof, public_inputs)?;
		Self::deposit_event(Event::ServiceResponseProven {
			services_root: statement.services_root,
			response_hash: statement.response_hash,
			service_key: statement.service_key,
			circuit,
			workers,
		});
		Ok(())
	}

	/// Checks and stores a circuit (governance and genesis).
	pub(crate) fn insert_circuit(
		name: BoundedVec<u8, ConstU32<MAX_CIRCUIT_NAME_LEN>>,
		flavour: zk_verifier::Flavour,
		vk: BoundedVec<u8, ConstU32<VK_LEN>>,
	) -> DispatchResult {
		let parsed = zk_verifier::VerificationKey::parse(&vk)
			.map_err(|_| Error::<T>::InvalidVerificationKey)?;
		ensure!(
			parsed.public_inputs == zk_verifier::statement::PUBLIC_INPUTS,
			Error::<T>::InvalidVerificationKey
		);
		ensure!(
			parsed.log_n <= MAX_CIRCUIT_LOG_N,
			Error::<T>::CircuitTooLarge
		);
		let circuit: CircuitId = polkadot_sdk::sp_io::hashing::sha2_256(&vk);
		if let Some(mut existing) = Circuits::<T>::get((circuit, flavour)) {
			// A retired circuit can be brought back (same key, so same id); an active one
			// is already there.
			ensure!(
				existing.status == CircuitStatus::Retired,
				Error::<T>::CircuitExists
			);
			existing.status = CircuitStatus::Active;
			existing.name = name;
			Circuits::<T>::insert((circuit, flavour), existing);
			Self::deposit_event(Event::CircuitRegistered { circuit, flavour });
			return Ok(());
		}
		ensure!(
			Circuits::<T>::count() < T::MaxCircuits::get(),
			Error::<T>::TooManyCircuits
		);
		Circuits::<T>::insert(
			(circuit, flavour),
			Circuit {
				name,
				status: CircuitStatus::Active,
				vk,
			},
		);
		Self::deposit_event(Event::CircuitRegistered { circuit, flavour });
		Ok(())
	}

	/// The production verification of a proof (what `submit_proof` and its benchmark run).
	pub(crate) fn verify_proof(
		entry: &Circuit,
		flavour: zk_verifier::Flavour,
		proof: &[u8],
		public_inputs: &[[u8; 32]],
	) -> DispatchResult {
		let vk = zk_verifier::VerificationKey::parse(&entry.vk)
			.map_err(|_| Error::<T>::InvalidVerificationKey)?;
		let g2 = ProofSrsG2::<T>::get()
			.and_then(|g2| zk_verifier::SrsG2::from_bytes(&g2).ok())
			.ok_or(Error::<T>::NoProofSrs)?;
		// The MSM and the pairing run natively in the node (bn254-host's host functions).
		zk_verifier::verify_with::<bn254_host::HostBackend>(
			&vk,
			proof,
			public_inputs,
			flavour,
			&g2,
		)
		.map_err(|e| {
			log::debug!(target: LOG_TARGET, "proof rejected: {e}");
			Error::<T>::ProofRejected
		})?;
		Ok(())
	}
}
