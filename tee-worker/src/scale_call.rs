//! Calls built from our own SCALE-encoded types (`tee_verifier::Evidence`, `Claims`, ...).
//!
//! Each argument is decoded with the type the connected chain's metadata gives for that call
//! field, so a layout that differs from the runtime's fails here, naming the field, instead of
//! being submitted as garbage.

use subxt::{dynamic::Value, ext::scale_value, transactions::DynamicPayload, Metadata};

/// `pallet.call(args...)` where `args` are the SCALE encodings of the call's fields, in
/// order; the error names the pallet, call and field that does not fit.
pub fn build(
	metadata: &Metadata,
	pallet: &str,
	call: &str,
	args: &[Vec<u8>],
) -> Result<DynamicPayload<Vec<Value>>, String> {
	let variant = metadata
		.pallet_by_name(pallet)
		.ok_or_else(|| format!("no pallet {pallet} in the metadata"))?
		.call_variant_by_name(call)
		.ok_or_else(|| format!("no call {pallet}.{call} in the metadata"))?;
	if variant.fields.len() != args.len() {
		return Err(format!(
			"{pallet}.{call} takes {} arguments, got {}",
			variant.fields.len(),
			args.len()
		));
	}
	let mut values = Vec::with_capacity(args.len());
	for (field, bytes) in variant.fields.iter().zip(args) {
		let name = field.name.as_deref().unwrap_or("?");
		let mut input = &bytes[..];
		let value = scale_value::scale::decode_as_type(&mut input, field.ty.id, metadata.types())
			.map_err(|e| format!("{pallet}.{call} argument {name}: {e}"))?;
		if !input.is_empty() {
			return Err(format!(
				"{pallet}.{call} argument {name}: {} bytes left over",
				input.len()
			));
		}
		values.push(value.remove_context());
	}
	Ok(subxt::dynamic::transaction(pallet, call, values))
}
