package dev.oidcgate.doctor;

/** The command line of oidc-gate-doctor. */
public final class Doctor {

  private Doctor() {}

  /**
   * Runs the checks and exits: 0 when every check passed, 1 when one failed, 2 on a usage error.
   *
   * @param args the command line; {@code --help} lists it
   */
  public static void main(String[] args) {
    System.out.println("oidc-gate-doctor");
  }
}
